package io.jenkins.plugins.pgbackup.testing;

import io.jenkins.plugins.pgbackup.db.Jdbc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a database holds, as a map that two databases share exactly when a restore carried everything over: per table
 * and materialized view its row count and a checksum of its rows, every sequence's state, every large object, and
 * the structure in forms that do not depend on the server's major (columns with types, defaults and identity,
 * constraints, indexes, triggers, function bodies, enum labels, comments). View definitions are left out: servers
 * 16 and newer deparse them differently; their names count.
 */
public final class DatabaseFingerprint {
    /** Outside the system schemas. */
    private static final String USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg\\_%'";

    private static final String[] STRUCTURE = {
        "SELECT 'relation ' || c.oid::regclass::text, c.relkind::text FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c') AND " + USER_SCHEMA,
        "SELECT 'column ' || a.attrelid::regclass::text || '.' || quote_ident(a.attname), "
                + "format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull || ' identity=' || a.attidentity::text "
                + "|| ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') FROM pg_attribute a "
                + "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'c') AND " + USER_SCHEMA,
        "SELECT 'constraint ' || coalesce(nullif(c.conrelid, 0)::regclass::text, c.contypid::regtype::text) || ' ' "
                + "|| quote_ident(c.conname), c.contype::text || ' ' || pg_get_constraintdef(c.oid) FROM pg_constraint c "
                + "JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype <> 'n' AND " + USER_SCHEMA,
        "SELECT 'index ' || i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMA,
        "SELECT 'trigger ' || t.tgrelid::regclass::text || ' ' || quote_ident(t.tgname), pg_get_triggerdef(t.oid) "
                + "FROM pg_trigger t WHERE NOT t.tgisinternal",
        "SELECT 'function ' || p.oid::regprocedure::text, md5(p.prosrc) || ' ' || p.prokind::text FROM pg_proc p "
                + "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + USER_SCHEMA,
        "SELECT 'enum ' || e.enumtypid::regtype::text, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) "
                + "FROM pg_enum e GROUP BY e.enumtypid",
        // public's owner is the server's default (pg_database_owner from 15 on), not the backup's
        "SELECT 'schema ' || quote_ident(n.nspname), pg_get_userbyid(n.nspowner) FROM pg_namespace n WHERE "
                + "n.nspname <> 'public' AND " + USER_SCHEMA,
        "SELECT 'comment ' || pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description "
                + "FROM pg_description d WHERE d.objoid >= 16384",
        "SELECT 'large object ' || m.oid::text, md5(lo_get(m.oid)) FROM pg_largeobject_metadata m",
    };

    private DatabaseFingerprint() {}

    /** The fingerprint of {@code database} on {@code server}. */
    public static Map<String, String> of(PostgresServers.Server server, String database) throws SQLException {
        try (Connection c = connect(server, database); Statement s = c.createStatement()) {
            Map<String, String> m = new TreeMap<>();
            for (String sql : STRUCTURE) {
                collect(s, sql, m);
            }
            for (String table : relations(s, "'r', 'm'")) {
                collect(s, "SELECT 'rows " + table.replace("'", "''") + "', count(*) || ' ' || md5(coalesce("
                        + "string_agg(t::text, ',' ORDER BY t::text COLLATE \"C\"), '')) FROM " + table + " t", m);
            }
            for (String sequence : relations(s, "'S'")) {
                collect(s, "SELECT 'sequence " + sequence.replace("'", "''") + "', last_value || ' ' || is_called FROM "
                        + sequence, m);
            }
            return m;
        }
    }

    /** How many rows the fingerprint found, over all tables: to check that a test compares something. */
    public static long totalRows(Map<String, String> fingerprint) {
        return fingerprint.entrySet().stream().filter(e -> e.getKey().startsWith("rows "))
                .mapToLong(e -> Long.parseLong(e.getValue().split(" ")[0])).sum();
    }

    private static List<String> relations(Statement s, String kinds) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN (" + kinds + ") AND " + USER_SCHEMA)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static void collect(Statement s, String sql, Map<String, String> into) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String previous = into.put(rs.getString(1), rs.getString(2));
                if (previous != null) {
                    throw new IllegalStateException("two objects fingerprint as " + rs.getString(1));
                }
            }
        }
    }

    /** Creates {@code database} and loads the rich test schema into it: several schemas, every common kind of object. */
    public static void loadRichSchema(PostgresServers.Server server, String database) throws SQLException, IOException {
        server.createDatabase(database);
        String sql;
        try (InputStream in = DatabaseFingerprint.class.getResourceAsStream("rich-schema.sql")) {
            if (in == null) {
                throw new IOException("rich-schema.sql is not on the test classpath");
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = connect(server, database); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs statements in a database, for test setup. */
    public static void execute(PostgresServers.Server server, String database, String... statements)
            throws SQLException {
        try (Connection c = connect(server, database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Whether the database exists on the server. */
    public static boolean exists(PostgresServers.Server server, String database) throws SQLException {
        try (Connection c = server.connect("postgres");
                var ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A connection to any database name (non-ASCII, blanks): {@code Server.connect} puts the name in the URL as is. */
    public static Connection connect(PostgresServers.Server server, String database) throws SQLException {
        return Jdbc.connect(server.spec(database));
    }
}
