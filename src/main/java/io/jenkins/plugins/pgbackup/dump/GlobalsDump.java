package io.jenkins.plugins.pgbackup.dump;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.Jdbc;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.tools.ClientTool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's globals ({@code includeGlobals}): roles with their settings and memberships, and tablespaces, as
 * {@code pg_dumpall --globals-only} writes them, stored next to the dump.
 *
 * <p>Role passwords live in {@code pg_authid}, which only superusers (and roles granted SELECT on it) may read; for
 * any other role pg_dumpall would fail, so it runs with {@code --no-role-passwords} then, and the log says that the
 * roles come back without passwords.
 */
public final class GlobalsDump {
    /** Whether the connecting role may read the role passwords. */
    static final String READS_PASSWORDS = "SELECT pg_catalog.has_table_privilege('pg_catalog.pg_authid', 'SELECT')";

    private GlobalsDump() {}

    /**
     * Asks the server whether the backup's role may read {@code pg_authid}.
     *
     * @throws BackupException when the server cannot answer
     */
    public static boolean readsRolePasswords(ConnectionSpec spec) throws BackupException {
        try (Connection c = Jdbc.connect(spec); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(READS_PASSWORDS)) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            throw new BackupException("Cannot ask the server whether " + spec.getUsername() + " may read role "
                    + "passwords (for includeGlobals); nothing was stored: " + e.getMessage());
        }
    }

    /** Says in the log which kind of globals the backup gets. */
    static void logPlan(ClientTool pgDumpall, boolean rolePasswords, String user, EngineLog log) {
        log.info("Globals: pg_dumpall " + pgDumpall.version() + " at " + pgDumpall.executable() + " --globals-only"
                + (rolePasswords ? "" : " --no-role-passwords"));
        if (!rolePasswords) {
            log.warn("Role " + user + " may not read pg_authid (only superusers may, by default): the globals are "
                    + "dumped with --no-role-passwords, so roles restored from them have no password until one is set");
        }
    }

    /**
     * {@code pg_dumpall --globals-only [--no-role-passwords] <connection> --database=dbname='D'}. pg_dumpall takes the
     * database it connects to from {@code --database}, not from the connection string (it would try {@code postgres}
     * and {@code template1}); the value is expanded as a connection string, so the quoted form takes any name
     * literally.
     */
    static List<String> arguments(Path pgDumpall, ConnectionSpec spec, boolean rolePasswords) {
        List<String> args = new ArrayList<>(List.of(pgDumpall.toString(), "--globals-only"));
        if (!rolePasswords) {
            args.add("--no-role-passwords");
        }
        args.addAll(LibpqArguments.connectionArguments(spec));
        args.add("--database=" + LibpqArguments.dbnameConninfo(spec.getDatabase()));
        return args;
    }
}
