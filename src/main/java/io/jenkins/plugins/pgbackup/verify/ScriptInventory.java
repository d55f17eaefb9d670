package io.jenkins.plugins.pgbackup.verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables a backup holds and the rows it has for each, read from the SQL that restores it: a plain script as
 * pg_dump wrote it, or what {@code pg_restore --file=-} writes for an archive. Both head every table of contents entry
 * with the same comment ({@code -- Name: orders; Type: TABLE; Schema: public; Owner: app} and
 * {@code -- Data for Name: orders; Type: TABLE DATA; ...}), so one reader serves every format; rows are counted in the
 * {@code COPY ... FROM stdin;} block that follows an entry's data header.
 */
public final class ScriptInventory implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final Pattern HEADER = Pattern.compile(
            "^-- (Data for )?Name: (.*); Type: (TABLE|TABLE DATA); Schema: (.*); Owner: .*$");
    private static final String COPY_END = "\\.";

    /** A table of the backup, schema and name as they are (not quoted). */
    public record Table(String schema, String name) implements Serializable {
        /** {@code public.orders}, quoted only where SQL needs it. */
        public String display() {
            return quoteIfNeeded(schema) + "." + quoteIfNeeded(name);
        }

        private static String quoteIfNeeded(String s) {
            return s.matches("[a-z_][a-z0-9_$]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
        }
    }

    /** Rows the backup holds for a table; {@code exact} is false when data came as INSERT statements. */
    public record Rows(long count, boolean exact) implements Serializable {}

    private final Map<Table, Rows> tables;

    private ScriptInventory(Map<Table, Rows> tables) {
        this.tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** Every table (TABLE entry) with the rows of its TABLE DATA entry; zero rows when it has none. */
    public Map<Table, Rows> getTables() {
        return tables;
    }

    /** Reads the whole script; the caller closes the stream. */
    public static ScriptInventory read(InputStream script) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(script, StandardCharsets.UTF_8), 64 * 1024);
        Map<Table, Rows> tables = new LinkedHashMap<>();
        Table dataOf = null;
        boolean inCopy = false;
        long rows = 0;
        String line;
        while ((line = in.readLine()) != null) {
            if (inCopy) {
                if (line.equals(COPY_END)) {
                    inCopy = false;
                    add(tables, dataOf, rows, true);
                } else {
                    rows++;
                }
                continue;
            }
            if (line.startsWith("-- ")) {
                dataOf = header(line, tables, dataOf);
            } else if (dataOf != null && line.startsWith("COPY ") && line.endsWith(" FROM stdin;")) {
                inCopy = true;
                rows = 0;
            } else if (dataOf != null && line.startsWith("INSERT INTO ")) {
                add(tables, dataOf, 1, false);
            }
        }
        return new ScriptInventory(tables);
    }

    /** Records a TABLE entry; returns the table whose data follows, or {@code null} after any other header. */
    private static Table header(String line, Map<Table, Rows> tables, Table current) {
        Matcher m = HEADER.matcher(line);
        if (!m.matches()) {
            // "-- Dependencies: ..." and other comment lines inside an entry keep the current one.
            return line.startsWith("-- Name: ") || line.startsWith("-- Data for Name: ") ? null : current;
        }
        Table t = new Table(m.group(4), m.group(2));
        if (m.group(1) == null) {
            tables.putIfAbsent(t, new Rows(0, true));
            return null;
        }
        tables.putIfAbsent(t, new Rows(0, true));
        return t;
    }

    private static void add(Map<Table, Rows> tables, Table t, long rows, boolean exact) {
        Rows old = tables.getOrDefault(t, new Rows(0, true));
        tables.put(t, new Rows(old.count() + rows, old.exact() && exact));
    }
}
