package io.jenkins.plugins.pgbackup.verify;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.Jdbc;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The scratch databases pgVerify restores into. Each carries a marker comment ({@code COMMENT ON DATABASE}) saying
 * that pgVerify created it and when: only a database with that marker is ever dropped, so a database that merely has
 * a similar name is never touched. A run whose agent was killed leaves its database behind; the next run on that
 * server finds it by the marker and drops it once nobody is connected to it and it is older than a grace period.
 */
public final class ScratchDatabases {
    /** The comment's beginning; the creation time follows. */
    static final String MARKER = "Scratch database of pgVerify (PostgreSQL Backup for Jenkins), created ";
    /** PostgreSQL's longest identifier, in bytes. */
    public static final int MAX_NAME_BYTES = 63;
    static final String INVALID_CATALOG_NAME = "3D000";
    private static final int DROP_ATTEMPTS = 5;

    private ScratchDatabases() {}

    /**
     * {@code pgverify_<database>_<build>}: lower case, every character other than a-z, 0-9 and _ replaced by _, cut
     * to {@value #MAX_NAME_BYTES} bytes.
     */
    public static String defaultName(String database, String build) {
        String raw = "pgverify_" + database + (build == null || build.isBlank() ? "" : "_" + build);
        String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return name.length() > MAX_NAME_BYTES ? name.substring(0, MAX_NAME_BYTES) : name;
    }

    /** Why a name given by the user cannot be a scratch database, or empty when it can. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("the scratch database name is empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return Optional.of("the scratch database name '" + name + "' is longer than " + MAX_NAME_BYTES
                    + " bytes");
        }
        if (List.of("postgres", "template0", "template1").contains(name)) {
            return Optional.of("'" + name + "' cannot be a scratch database");
        }
        return Optional.empty();
    }

    static String marker(Instant created) {
        return MARKER + created;
    }

    /** When pgVerify created a database, from its comment; empty when the comment is not pgVerify's marker. */
    static Optional<Instant> createdAt(String comment) {
        if (comment == null || !comment.startsWith(MARKER)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(comment.substring(MARKER.length()).trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A database of the server and whether pgVerify made it. */
    record Found(String name, Optional<Instant> created, int connections) {}

    static Optional<Found> find(ConnectionSpec server, String name) throws SQLException {
        return list(server, "d.datname = ?", name).stream().findFirst();
    }

    private static List<Found> list(ConnectionSpec server, String condition, String parameter) throws SQLException {
        String sql = "SELECT d.datname, shobj_description(d.oid, 'pg_database'), "
                + "(SELECT count(*) FROM pg_stat_activity a WHERE a.datid = d.oid) FROM pg_database d WHERE "
                + condition;
        List<Found> found = new ArrayList<>();
        try (Connection c = maintenance(server); PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Found(rs.getString(1), createdAt(rs.getString(2)), rs.getInt(3)));
                }
            }
        }
        return found;
    }

    /**
     * Drops what killed runs left: databases with pgVerify's marker, older than {@code grace}, with no session.
     * A failure to drop one is a warning: it must not stop this run.
     *
     * @return the names dropped
     */
    static List<String> sweep(ConnectionSpec server, Duration grace, Instant now, EngineLog log)
            throws SQLException {
        List<String> dropped = new ArrayList<>();
        for (Found f : list(server, "shobj_description(d.oid, 'pg_database') LIKE ?", escapeLike(MARKER) + "%")) {
            Instant created = f.created().orElse(null);
            if (created == null || f.connections() > 0 || created.isAfter(now.minus(grace))) {
                continue;
            }
            try {
                drop(server, f.name());
                dropped.add(f.name());
                log.info("Dropped " + f.name() + ", a scratch database a pgVerify run created at " + created
                        + " and left behind");
            } catch (SQLException e) {
                log.warn("Could not drop " + f.name() + ", a scratch database left behind by an earlier pgVerify run: "
                        + e.getMessage());
            }
        }
        return dropped;
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Creates the scratch database from template0 and marks it in the same breath. */
    static void create(ConnectionSpec server, String name, Instant now) throws SQLException {
        String quoted = Jdbc.quoteIdentifier(name);
        try (Connection c = maintenance(server); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + quoted + " TEMPLATE template0");
            try {
                s.execute("COMMENT ON DATABASE " + quoted + " IS " + literal(marker(now)));
            } catch (SQLException e) {
                s.execute("DROP DATABASE IF EXISTS " + quoted);
                throw e;
            }
        }
    }

    /**
     * Drops a scratch database, ending the sessions still in it first (a killed pg_restore's server process may
     * linger). Retries briefly, as a session can arrive between the two.
     */
    static void drop(ConnectionSpec server, String name) throws SQLException {
        SQLException last = null;
        for (int attempt = 0; attempt < DROP_ATTEMPTS; attempt++) {
            try (Connection c = maintenance(server)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM "
                        + "pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                    ps.setString(1, name);
                    ps.executeQuery().close();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + Jdbc.quoteIdentifier(name));
                    return;
                }
            } catch (SQLException e) {
                last = e;
                pause();
            }
        }
        throw last;
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /**
     * A session on the server outside the scratch database: the connection's own database, or {@code postgres}, or
     * {@code template1} when the one before does not exist.
     */
    static Connection maintenance(ConnectionSpec server) throws SQLException {
        List<String> candidates = new ArrayList<>(List.of("postgres", "template1"));
        candidates.remove(server.getDatabase());
        candidates.add(0, server.getDatabase());
        SQLException last = null;
        for (String db : candidates) {
            try {
                return Jdbc.connect(server.withDatabase(db));
            } catch (SQLException e) {
                if (!INVALID_CATALOG_NAME.equals(e.getSQLState())) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }
}
