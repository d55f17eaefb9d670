package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScriptFilterTest {
    /** The top of what pg_restore 18 writes with {@code --single-transaction -f -}. */
    private static final String PREAMBLE = """
            --
            -- PostgreSQL database dump
            --

            \\restrict 618cdxdJHRdu9AQ3SUZTAvl0v8g7bfKBPHIzYD2W4rcbwRSOeYX6bTFQ9bZeOmv

            -- Dumped from database version 18.6
            -- Dumped by pg_dump version 18.6

            BEGIN;

            SET statement_timeout = 0;
            SET lock_timeout = 0;
            SET idle_in_transaction_session_timeout = 0;
            SET transaction_timeout = 0;
            SET client_encoding = 'UTF8';
            SELECT pg_catalog.set_config('search_path', '', false);

            """;

    private static final String BODY = """
            CREATE FUNCTION public.f() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
            SET transaction_timeout = 0;
            END
            $$;

            COPY public.t (v) FROM stdin;
            SET transaction_timeout = 0;
            BEGIN;
            COMMIT;
            \\.

            """;

    private static final String LARGE_OBJECTS = """
            --
            -- Data for Name: 424242; Type: BLOBS; Schema: -; Owner: postgres
            --

            BEGIN;

            SELECT pg_catalog.lo_open('424242', 131072);
            SELECT pg_catalog.lowrite(0, '\\x6c61726765206f626a656374207061796c6f6164');
            SELECT pg_catalog.lo_close(0);

            COMMIT;

            --
            -- Name: t t_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
            --

            ALTER TABLE ONLY public.t
                ADD CONSTRAINT t_pkey PRIMARY KEY (v);

            """;

    @Test
    void dropsTheTransactionTimeoutOfThePreambleAndNothingElse() throws IOException {
        ScriptFilter filter = new ScriptFilter(true, false);

        String out = filter(filter, PREAMBLE + BODY, 64 * 1024);

        assertEquals(PREAMBLE.replace("SET transaction_timeout = 0;\n", "") + BODY, out);
        assertEquals(1, filter.droppedTransactionTimeouts());
    }

    @Test
    void dropsItAgainAfterAConnect() throws IOException {
        ScriptFilter filter = new ScriptFilter(true, false);
        String script = PREAMBLE + "CREATE TABLE x ();\n\\connect other\nSET transaction_timeout = 0;\nSELECT 1;\n"
                + "SET transaction_timeout = 0;\n";

        String out = filter(filter, script, 7);

        assertEquals(PREAMBLE.replace("SET transaction_timeout = 0;\n", "")
                + "CREATE TABLE x ();\n\\connect other\nSELECT 1;\nSET transaction_timeout = 0;\n", out);
        assertEquals(2, filter.droppedTransactionTimeouts());
    }

    @Test
    void joinsLargeObjectDataToTheSingleTransaction() throws IOException {
        ScriptFilter filter = new ScriptFilter(false, true);
        String other = "BEGIN;\n\nSELECT 1;\nCOMMIT;\n";

        String out = filter(filter, PREAMBLE + BODY + LARGE_OBJECTS + other, 3);

        String unwrapped = LARGE_OBJECTS.replace("\nBEGIN;\n", "\n").replace("\nCOMMIT;\n", "\n");
        assertEquals(PREAMBLE + BODY + unwrapped + other, out, "BEGIN/COMMIT around anything else stay");
        assertEquals(1, filter.unwrappedLargeObjectBlocks());
    }

    @Test
    void dropsTheGivenStatementsOutsideCopyData() throws IOException {
        String drop = "ALTER TABLE IF EXISTS ONLY sales.orders_2024 DROP CONSTRAINT IF EXISTS orders_2024_pkey;";
        ScriptFilter filter = new ScriptFilter(false, false, Set.of(drop));
        String script = PREAMBLE + drop + "\nDROP TABLE IF EXISTS sales.orders;\nCOPY t (v) FROM stdin;\n" + drop
                + "\n\\.\n";

        String out = filter(filter, script, 5);

        assertEquals(PREAMBLE + "DROP TABLE IF EXISTS sales.orders;\nCOPY t (v) FROM stdin;\n" + drop + "\n\\.\n", out);
        assertEquals(1, filter.droppedRedundantStatements());
    }

    @Test
    void understandsCarriageReturnsAndALastLineWithoutNewline() throws IOException {
        ScriptFilter filter = new ScriptFilter(true, false);

        assertEquals("SET a = 1;\r\nSELECT 1;", filter(filter, "SET a = 1;\r\nSET transaction_timeout = 0;\r\n"
                + "SELECT 1;", 2));
        assertEquals("SET transaction_timeout = 0;", filter(new ScriptFilter(false, false),
                "SET transaction_timeout = 0;", 64));
    }

    @Test
    void passesLongLinesAndAnyBytesThroughUnchangedWhateverTheReadSizes() throws IOException {
        byte[] row = new byte[3 * 1024 * 1024];
        new SplittableRandom(7).nextBytes(row);
        for (int i = 0; i < row.length; i++) {
            if (row[i] == '\n' || row[i] == '\r') {
                row[i] = 'x';
            }
        }
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        script.writeBytes(PREAMBLE.getBytes(StandardCharsets.UTF_8));
        // a COPY header longer than the bytes the filter keeps of a line
        script.writeBytes(("COPY public.wide (" + "c,".repeat(600) + "c) FROM stdin;\n").getBytes(StandardCharsets.UTF_8));
        script.writeBytes(row);
        script.writeBytes("\nSET transaction_timeout = 0;\n\\.\n".getBytes(StandardCharsets.UTF_8));
        byte[] input = script.toByteArray();

        for (int chunk : new int[] {1, 13, 4096, 1 << 20}) {
            ScriptFilter filter = new ScriptFilter(true, true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            filter.copy(new ChunkedStream(input, chunk), out);
            String expected = new String(input, StandardCharsets.ISO_8859_1).replaceFirst(
                    "SET transaction_timeout = 0;\n", "");
            assertEquals(expected, out.toString(StandardCharsets.ISO_8859_1), "reads of " + chunk);
            assertEquals(1, filter.droppedTransactionTimeouts(), "the one in COPY data stays");
        }
    }

    private static String filter(ScriptFilter filter, String script, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        filter.copy(new ChunkedStream(script.getBytes(StandardCharsets.UTF_8), chunk), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Returns at most {@code chunk} bytes per read, as a pipe does. */
    private static final class ChunkedStream extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;

        ChunkedStream(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
