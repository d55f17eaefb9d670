package io.jenkins.plugins.pgbackup.db;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where and as whom to connect to a PostgreSQL server. It crosses to the agent that runs the tools, so it is
 * serializable; the password is never part of {@link #toString()}.
 */
public final class ConnectionSpec implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_PORT = 5432;
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

    private final String host;
    private final int port;
    private final String database;
    private final String username;
    private final String password;
    private final SslMode sslMode;
    private final int connectTimeoutSeconds;

    public ConnectionSpec(String host, int port, String database, String username, String password, SslMode sslMode,
            int connectTimeoutSeconds) {
        this.host = requireText(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, not " + port);
        }
        this.port = port;
        this.database = requireText(database, "database");
        this.username = requireText(username, "username");
        this.password = password == null ? "" : password;
        this.sslMode = sslMode == null ? SslMode.PREFER : sslMode;
        this.connectTimeoutSeconds = connectTimeoutSeconds > 0 ? connectTimeoutSeconds : DEFAULT_CONNECT_TIMEOUT_SECONDS;
    }

    public ConnectionSpec(String host, int port, String database, String username, String password) {
        this(host, port, database, username, password, SslMode.PREFER, DEFAULT_CONNECT_TIMEOUT_SECONDS);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value;
    }

    /** The same server and credentials, another database (restores into a new database, maintenance DB). */
    public ConnectionSpec withDatabase(String otherDatabase) {
        return new ConnectionSpec(host, port, otherDatabase, username, password, sslMode, connectTimeoutSeconds);
    }

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    public String getDatabase() {
        return database;
    }

    public String getUsername() {
        return username;
    }

    /** The password; never log it or put it in a message. */
    public String getPassword() {
        return password;
    }

    public SslMode getSslMode() {
        return sslMode;
    }

    public int getConnectTimeoutSeconds() {
        return connectTimeoutSeconds;
    }

    /** Identifies the server for the version cache: host, port and database. */
    public String serverKey() {
        return host + ":" + port + "/" + database;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionSpec c && c.port == port && c.host.equals(host) && c.database.equals(database)
                && c.username.equals(username) && c.password.equals(password) && c.sslMode == sslMode
                && c.connectTimeoutSeconds == connectTimeoutSeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, database, username);
    }

    @Override
    public String toString() {
        return username + "@" + host + ":" + port + "/" + database + " (sslmode=" + sslMode.value() + ")";
    }
}
