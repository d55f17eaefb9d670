package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the restore guardrails need to know about, and do to, the target database. */
final class TargetDatabase {
    /** PostgreSQL's SQLSTATE for "database does not exist". */
    static final String INVALID_CATALOG_NAME = "3D000";

    /** Objects outside the system schemas that do not belong to an extension. */
    private static final String NOT_SYSTEM = " NOT IN ('pg_catalog', 'information_schema') AND %s NOT LIKE 'pg\\_toast%%' "
            + "AND %s NOT LIKE 'pg\\_temp\\_%%' AND %s NOT LIKE 'pg\\_toast\\_temp\\_%%'";
    private static final String NOT_FROM_EXTENSION = " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
            + "'%s'::regclass AND d.objid = %s AND d.deptype = 'e')";

    /**
     * What a restore would collide with, most telling first: relations, then schemas other than public, functions,
     * types of their own (enums, domains, composite and range types) and large objects.
     */
    private static final String USER_OBJECTS = "SELECT what FROM ("
            + "SELECT 1 AS o, CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' "
            + "WHEN 'S' THEN 'sequence ' WHEN 'f' THEN 'foreign table ' ELSE 'table ' END "
            + "|| quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS what "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname" + notSystem("n.nspname")
            + notFromExtension("pg_class", "c.oid")
            + " UNION ALL SELECT 2, 'schema ' || quote_ident(n.nspname) FROM pg_namespace n "
            + "WHERE n.nspname <> 'public' AND n.nspname" + notSystem("n.nspname")
            + notFromExtension("pg_namespace", "n.oid")
            + " UNION ALL SELECT 3, 'function ' || p.oid::regprocedure::text FROM pg_proc p "
            + "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname" + notSystem("n.nspname")
            + notFromExtension("pg_proc", "p.oid")
            + " UNION ALL SELECT 4, 'type ' || t.oid::regtype::text FROM pg_type t "
            + "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname" + notSystem("n.nspname")
            + " AND t.typtype IN ('c', 'd', 'e', 'r', 'm') AND t.typcategory <> 'A' AND (t.typrelid = 0 OR "
            + "(SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')"
            + notFromExtension("pg_type", "t.oid")
            + " UNION ALL SELECT 5, 'large object ' || l.oid::text FROM pg_largeobject_metadata l"
            + ") x ORDER BY o, what LIMIT ?";

    /** Every partition's inherited constraint, as pg_restore's clean step would drop it. */
    private static final String INHERITED_CONSTRAINT_DROPS = "SELECT 'ALTER TABLE IF EXISTS ONLY ' || "
            + "quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' DROP CONSTRAINT IF EXISTS ' || "
            + "quote_ident(k.conname) || ';' FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.conparentid <> 0";
    /** SQLSTATE of a missing column: {@code conparentid} before PostgreSQL 11. */
    private static final String UNDEFINED_COLUMN = "42703";

    private TargetDatabase() {}

    private static String notSystem(String column) {
        return String.format(NOT_SYSTEM, column, column, column);
    }

    private static String notFromExtension(String catalog, String oid) {
        return String.format(NOT_FROM_EXTENSION, catalog, oid);
    }

    /** The maintenance database used to create or drop a database: "postgres". */
    static ConnectionSpec maintenance(ConnectionSpec target) {
        return target.withDatabase("postgres");
    }

    /**
     * Whether the target database exists, found by connecting to it: that needs no access to any other database.
     *
     * @throws SQLException when the server cannot be reached or refuses the login for another reason
     */
    static boolean exists(ConnectionSpec target) throws SQLException {
        try (Connection ignored = Jdbc.connect(target)) {
            return true;
        } catch (SQLException e) {
            if (INVALID_CATALOG_NAME.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Up to {@code limit} objects of the target's own, each named with its kind ("table sales.orders"), for the
     * refusal message; empty for a database fresh from {@code template0} (extensions' objects do not count: pg_dump
     * writes {@code CREATE EXTENSION IF NOT EXISTS}).
     */
    static List<String> userObjects(ConnectionSpec target, int limit) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = Jdbc.connect(target); PreparedStatement ps = c.prepareStatement(USER_OBJECTS)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /**
     * The statements {@code pg_restore --clean --if-exists} writes for this target that fail although nothing is
     * wrong: it drops each partition's copy of a partitioned table's constraint on its own ("cannot drop inherited
     * constraint"), before the parent's, whose drop takes the copies with it. Exactly as pg_restore writes them, so that
     * the script filter can leave them out; empty before PostgreSQL 11, which has no such constraints.
     */
    static Set<String> inheritedConstraintDrops(ConnectionSpec target) throws SQLException {
        Set<String> statements = new LinkedHashSet<>();
        try (Connection c = Jdbc.connect(target); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(INHERITED_CONSTRAINT_DROPS)) {
            while (rs.next()) {
                statements.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if (!UNDEFINED_COLUMN.equals(e.getSQLState())) {
                throw e;
            }
        }
        return statements;
    }

    /** Whether the connecting role is a superuser. */
    static boolean isSuperuser(ConnectionSpec server) throws SQLException {
        return names(server, "SELECT 'yes' FROM pg_catalog.pg_roles WHERE rolname = current_user AND rolsuper")
                .contains("yes");
    }

    /** The names of the server's roles, as pg_roles has them. */
    static Set<String> roles(ConnectionSpec server) throws SQLException {
        return names(server, "SELECT rolname FROM pg_catalog.pg_roles");
    }

    /** The names of the server's tablespaces. */
    static Set<String> tablespaces(ConnectionSpec server) throws SQLException {
        return names(server, "SELECT spcname FROM pg_catalog.pg_tablespace");
    }

    private static Set<String> names(ConnectionSpec server, String query) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        try (Connection c = Jdbc.connect(server); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** {@code CREATE DATABASE} from template0 (a restore needs an empty database), owned by the connecting role. */
    static void create(ConnectionSpec target) throws SQLException {
        execute(target, "CREATE DATABASE " + Jdbc.quoteIdentifier(target.getDatabase()) + " TEMPLATE template0");
    }

    /** Drops a database this restore created and could not fill, so that a retry starts from where it did. */
    static void drop(ConnectionSpec target) throws SQLException {
        execute(target, "DROP DATABASE IF EXISTS " + Jdbc.quoteIdentifier(target.getDatabase()));
    }

    /**
     * Runs a database-level statement from the maintenance database, {@code postgres}, or {@code template1} where
     * {@code postgres} was dropped. CREATE and DROP DATABASE take no bind parameters: the name is quoted.
     */
    private static void execute(ConnectionSpec target, String sql) throws SQLException {
        Connection c;
        try {
            c = Jdbc.connect(maintenance(target));
        } catch (SQLException e) {
            if (!INVALID_CATALOG_NAME.equals(e.getSQLState())) {
                throw e;
            }
            c = Jdbc.connect(target.withDatabase("template1"));
        }
        try (Connection open = c; Statement s = open.createStatement()) {
            s.execute(sql);
        }
    }
}
