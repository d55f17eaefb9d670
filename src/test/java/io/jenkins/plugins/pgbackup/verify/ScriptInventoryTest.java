package io.jenkins.plugins.pgbackup.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptInventoryTest {
    private static final String SCRIPT = String.join("\n",
            "--",
            "-- Name: orders; Type: TABLE; Schema: public; Owner: app",
            "--",
            "CREATE TABLE public.orders (id integer);",
            "--",
            "-- Name: My Table; Type: TABLE; Schema: Sales Dept; Owner: -",
            "--",
            "CREATE TABLE \"Sales Dept\".\"My Table\" (id integer);",
            "--",
            "-- Name: empty; Type: TABLE; Schema: public; Owner: app",
            "--",
            "-- Name: orders_id_seq; Type: SEQUENCE; Schema: public; Owner: app",
            "--",
            "-- Data for Name: orders; Type: TABLE DATA; Schema: public; Owner: app",
            "--",
            "COPY public.orders (id) FROM stdin;",
            "1",
            "-- not a header: data",
            "3",
            "\\.",
            "--",
            "-- Data for Name: empty; Type: TABLE DATA; Schema: public; Owner: app",
            "--",
            "COPY public.empty (id) FROM stdin;",
            "\\.",
            "--",
            "-- Data for Name: My Table; Type: TABLE DATA; Schema: Sales Dept; Owner: -",
            "--",
            "INSERT INTO \"Sales Dept\".\"My Table\" VALUES (1);",
            "INSERT INTO \"Sales Dept\".\"My Table\" VALUES (2);",
            "--",
            "-- Name: v; Type: VIEW; Schema: public; Owner: app",
            "--",
            "COPY public.orders (id) FROM stdin;",
            "");

    @Test
    void tablesAndTheirRowsAreReadFromTheEntryHeadersAndCopyBlocks() throws Exception {
        ScriptInventory inv = ScriptInventory.read(new ByteArrayInputStream(SCRIPT.getBytes(StandardCharsets.UTF_8)));

        Map<ScriptInventory.Table, ScriptInventory.Rows> expected = new LinkedHashMap<>();
        expected.put(new ScriptInventory.Table("public", "orders"), new ScriptInventory.Rows(3, true));
        expected.put(new ScriptInventory.Table("Sales Dept", "My Table"), new ScriptInventory.Rows(2, false));
        expected.put(new ScriptInventory.Table("public", "empty"), new ScriptInventory.Rows(0, true));
        assertEquals(expected, inv.getTables());
    }

    @Test
    void namesAreQuotedForDisplayOnlyWhereSqlNeedsIt() {
        assertEquals("public.orders", new ScriptInventory.Table("public", "orders").display());
        assertEquals("\"Sales Dept\".\"My \"\"T\"\"\"", new ScriptInventory.Table("Sales Dept", "My \"T\"").display());
    }
}
