package io.jenkins.plugins.pgbackup.restore;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What the restore guardrails need to know about, and do to, the target database. */
final class TargetDatabase {
    /** Objects a restore would collide with: tables, partitioned tables, views, matviews, sequences outside system. */
    private static final String USER_RELATIONS = "SELECT n.nspname || '.' || c.relname FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', "
            + "'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%' "
            + "ORDER BY 1 LIMIT ?";

    private TargetDatabase() {}

    /** The maintenance database used to create a database: "postgres". */
    static ConnectionSpec maintenance(ConnectionSpec target) {
        return target.withDatabase("postgres");
    }

    static boolean exists(ConnectionSpec target) throws SQLException {
        try (Connection c = Jdbc.connect(maintenance(target));
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, target.getDatabase());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Up to {@code limit} user relations, schema-qualified, to name in the refusal message. */
    static List<String> userRelations(ConnectionSpec target, int limit) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = Jdbc.connect(target); PreparedStatement ps = c.prepareStatement(USER_RELATIONS)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /** {@code CREATE DATABASE} from template0 (a restore needs an empty database), owned by the connecting role. */
    @SuppressFBWarnings(value = "SQL_NONCONSTANT_STRING_PASSED_TO_EXECUTE",
            justification = "CREATE DATABASE takes no bind parameters; the name is quoted as an identifier")
    static void create(ConnectionSpec target) throws SQLException {
        try (Connection c = Jdbc.connect(maintenance(target)); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + Jdbc.quoteIdentifier(target.getDatabase()) + " TEMPLATE template0");
        }
    }
}
