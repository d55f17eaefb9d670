package io.jenkins.plugins.pgbackup.verify;

import io.jenkins.plugins.pgbackup.db.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The checks that look into the restored scratch database, through one session. */
final class DatabaseChecks {
    /** How many problems a check's detail names. */
    static final int NAMED = 10;
    static final String TABLES = "tables";

    private final Connection c;
    private final Duration timeout;

    DatabaseChecks(Connection scratch, Duration timeout) {
        this.c = scratch;
        this.timeout = timeout;
    }

    /** Every table of the backup exists; where the backup has rows, the restored table has as many. */
    VerifyCheck tables(ScriptInventory inventory) {
        List<String> problems = new ArrayList<>();
        int withData = 0;
        try {
            for (Map.Entry<ScriptInventory.Table, ScriptInventory.Rows> e : inventory.getTables().entrySet()) {
                ScriptInventory.Table t = e.getKey();
                ScriptInventory.Rows rows = e.getValue();
                String kind = relkind(t);
                if (kind == null) {
                    problems.add(t.display() + " is missing");
                    continue;
                }
                if (rows.count() == 0) {
                    continue;
                }
                withData++;
                long restored = count(t, kind);
                if (rows.exact() ? restored != rows.count() : restored == 0) {
                    problems.add(t.display() + ": the backup has " + (rows.exact() ? "" : "at least ")
                            + rows.count() + (rows.count() == 1 ? " row" : " rows") + ", restored " + restored);
                }
            }
        } catch (SQLException e) {
            return VerifyCheck.failed(TABLES, "Could not compare the tables: " + e.getMessage());
        }
        int total = inventory.getTables().size();
        if (!problems.isEmpty()) {
            return VerifyCheck.failed(TABLES, problems.size() + " of " + total + " tables differ from the backup: "
                    + String.join("; ", problems.subList(0, Math.min(NAMED, problems.size())))
                    + (problems.size() > NAMED ? "; ..." : ""));
        }
        return VerifyCheck.passed(TABLES, total + (total == 1 ? " table" : " tables") + " restored, " + withData
                + " with data, each with the backup's row count");
    }

    /** {@code minRows:<table>}: the table has at least {@code min} rows. */
    VerifyCheck minRows(String table, long min) {
        String name = "minRows:" + table;
        try {
            String regclass;
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?)::text")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    regclass = rs.getString(1);
                }
            }
            if (regclass == null) {
                return VerifyCheck.failed(name, "There is no table " + table + " in the restored database");
            }
            long rows = single("SELECT count(*) FROM " + regclass);
            return rows >= min ? VerifyCheck.passed(name, rows + " rows (at least " + min + " wanted)")
                    : VerifyCheck.failed(name, "Only " + rows + " rows, at least " + min + " wanted");
        } catch (SQLException e) {
            return VerifyCheck.failed(name, "Could not count the rows: " + e.getMessage());
        }
    }

    /** {@code sql[n]}: the query, run read-only, returns {@code true} as its first value. */
    VerifyCheck sql(int number, String query) {
        String name = "sql[" + number + "]";
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION READ ONLY");
                s.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toSeconds())));
                try (ResultSet rs = s.executeQuery(query)) {
                    if (!rs.next()) {
                        return VerifyCheck.failed(name, query + " returned no row");
                    }
                    Object value = rs.getObject(1);
                    return Boolean.TRUE.equals(value) ? VerifyCheck.passed(name, query + " returned true")
                            : VerifyCheck.failed(name, query + " returned " + value + ", not true");
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            return VerifyCheck.failed(name, query + " failed: " + e.getMessage());
        }
    }

    private String relkind(ScriptInventory.Table t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT c.relkind::text FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * The rows the table itself holds; a partitioned table's are its partitions' (the backup loads them through the
     * root with {@code --load-via-partition-root}), an inheritance parent's are its own only.
     */
    private long count(ScriptInventory.Table t, String relkind) throws SQLException {
        String table = Jdbc.quoteIdentifier(t.schema()) + "." + Jdbc.quoteIdentifier(t.name());
        return single("SELECT count(*) FROM " + ("p".equals(relkind) ? "" : "ONLY ") + table);
    }

    private long single(String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
