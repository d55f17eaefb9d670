package io.jenkins.plugins.pgbackup.db;

import io.jenkins.plugins.pgbackup.process.Sanitizer;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * Opens pgJDBC connections for a {@link ConnectionSpec} with bounded connect and socket timeouts. Errors are rewritten
 * so that they name the server and never carry the password.
 */
public final class Jdbc {
    private static final int SOCKET_TIMEOUT_SECONDS = 300;

    private Jdbc() {}

    /**
     * @throws SQLException with a message naming {@code user@host:port/database}, never the password
     */
    public static Connection connect(ConnectionSpec spec) throws SQLException {
        try {
            return open(spec, Duration.ofSeconds(SOCKET_TIMEOUT_SECONDS));
        } catch (SQLException e) {
            throw new SQLException("Cannot connect to " + spec + ": " + Sanitizer.sanitize(e.getMessage(),
                    List.of(spec.getPassword())), e.getSQLState());
        }
    }

    /**
     * Opens a connection with pgJDBC's own errors, for callers that explain them themselves. pgJDBC does not put the
     * password in its messages; callers still sanitize what they show.
     *
     * @param socketTimeout the longest a query may wait for the server
     */
    public static Connection open(ConnectionSpec spec, Duration socketTimeout) throws SQLException {
        Properties p = new Properties();
        PGProperty.USER.set(p, spec.getUsername());
        PGProperty.PASSWORD.set(p, spec.getPassword());
        PGProperty.SSL_MODE.set(p, spec.getSslMode().value());
        PGProperty.CONNECT_TIMEOUT.set(p, spec.getConnectTimeoutSeconds());
        PGProperty.LOGIN_TIMEOUT.set(p, spec.getConnectTimeoutSeconds());
        PGProperty.SOCKET_TIMEOUT.set(p, (int) Math.max(1, socketTimeout.toSeconds()));
        PGProperty.APPLICATION_NAME.set(p, "jenkins-postgresql-backup");
        Connection c = new Driver().connect(url(spec), p);
        if (c == null) {
            throw new SQLException("the PostgreSQL driver did not accept the URL for " + spec);
        }
        return c;
    }

    /** The URL without credentials; the database name is percent-encoded so any name works. */
    static String url(ConnectionSpec spec) {
        String host = spec.getHost().contains(":") && !spec.getHost().startsWith("[")
                ? "[" + spec.getHost() + "]" : spec.getHost();
        return "jdbc:postgresql://" + host + ":" + spec.getPort() + "/"
                + java.net.URLEncoder.encode(spec.getDatabase(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20");
    }

    /** Quotes an identifier for SQL text: {@code "a""b"}. */
    public static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
