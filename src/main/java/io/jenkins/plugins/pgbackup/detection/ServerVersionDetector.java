package io.jenkins.plugins.pgbackup.detection;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.Jdbc;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.process.Sanitizer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a server for its version over pgJDBC: {@code SHOW server_version_num} decides (vendor builds such as
 * EnterpriseDB, Aurora or Debian's print all sorts of {@code version()} strings), {@code SELECT version()} is kept
 * for the log. Connect and login are bounded by the spec's connect timeout, each query by the socket timeout.
 */
public final class ServerVersionDetector {
    private static final Logger LOGGER = Logger.getLogger(ServerVersionDetector.class.getName());

    private static final Pattern LEADING_VERSION = Pattern.compile("^\\s*(\\d+(?:\\.\\d+){0,2})");

    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private final Duration socketTimeout;
    private final Clock clock;

    public ServerVersionDetector() {
        this(DEFAULT_SOCKET_TIMEOUT, Clock.systemUTC());
    }

    /**
     * @param socketTimeout the longest a query may wait for the server
     * @param clock stamps {@link ServerVersion#detectedAt()}
     */
    public ServerVersionDetector(Duration socketTimeout, Clock clock) {
        this.socketTimeout = socketTimeout;
        this.clock = clock;
    }

    /**
     * @throws VersionDetectionException if the server cannot be reached, refuses the login, or reports no version;
     *     the message names user, host, port and database
     */
    public ServerVersion detect(ConnectionSpec spec) throws VersionDetectionException {
        long start = System.nanoTime();
        try (Connection c = Jdbc.open(spec, socketTimeout)) {
            try (Statement s = c.createStatement()) {
                String num = queryOrNull(s, "SHOW server_version_num");
                String shortVersion = queryOrNull(s, "SHOW server_version");
                String text = queryOrNull(s, "SELECT version()");
                PostgresVersion version = parse(num, shortVersion, text);
                if (version == null) {
                    throw new VersionDetectionException(describe(spec) + " reported no recognisable version ("
                            + "server_version_num=" + num + ", version()=" + text + ")", null);
                }
                LOGGER.fine(() -> spec.serverKey() + " is " + version + " (" + text + "), detected in "
                        + (System.nanoTime() - start) / 1_000_000 + " ms");
                return new ServerVersion(version, text, clock.instant());
            }
        } catch (SQLException e) {
            throw new VersionDetectionException("Cannot detect the PostgreSQL version of " + describe(spec) + ": "
                    + reason(e, spec), e);
        }
    }

    /**
     * The version from what the server said: {@code server_version_num} when it is a number, else the leading
     * version of {@code server_version} ("16.2 (Debian 16.2-1.pgdg120+2)"), else the one in {@code version()}.
     *
     * @return {@code null} when none of them names a version
     */
    static PostgresVersion parse(String serverVersionNum, String serverVersion, String versionText) {
        if (serverVersionNum != null && serverVersionNum.trim().matches("\\d{5,}")) {
            return PostgresVersion.fromVersionNum(serverVersionNum);
        }
        if (serverVersion != null) {
            Matcher m = LEADING_VERSION.matcher(serverVersion);
            if (m.find()) {
                return PostgresVersion.parse(m.group(1));
            }
        }
        return PostgresVersion.fromVersionText(versionText);
    }

    private static String queryOrNull(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static String describe(ConnectionSpec spec) {
        return "user " + spec.getUsername() + " at " + spec.getHost() + ":" + spec.getPort() + ", database "
                + spec.getDatabase();
    }

    /**
     * pgJDBC's message, then what caused it ("UnknownHostException: db.example"): its own message is often generic
     * ("The connection attempt failed."). Sanitized, though pgJDBC does not put passwords in messages.
     */
    private static String reason(SQLException e, ConnectionSpec spec) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()).strip());
        Set<String> causes = new LinkedHashSet<>();
        for (Throwable t = e.getCause(); t != null && causes.size() < 3; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank() && !sb.toString().equals(t.getMessage().strip())) {
                causes.add(t.getClass().getSimpleName() + ": " + t.getMessage().strip());
            }
        }
        if (!causes.isEmpty()) {
            sb.append(" (").append(String.join("; ", causes)).append(')');
        }
        sb.append(" [");
        if (e.getSQLState() != null) {
            sb.append("SQLSTATE ").append(e.getSQLState()).append(", ");
        }
        sb.append("connect timeout ").append(spec.getConnectTimeoutSeconds()).append(" s]");
        return Sanitizer.sanitize(sb.toString(), List.of(spec.getPassword()));
    }
}
