package io.jenkins.plugins.pgbackup.restore.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the comment block pg_dump writes at the top of a plain script: {@code TEXT_DUMP_HEADER}, then (pg_dump 17.6,
 * 16.10, 15.14, 14.19, 13.22 and later) {@code \restrict KEY}, then "-- Dumped from database version X" and
 * "-- Dumped by pg_dump version Y". Stops at the first statement.
 */
final class PlainHeaderParser {
    static final String DUMP_TITLE = "-- PostgreSQL database dump";
    static final String CLUSTER_TITLE = "-- PostgreSQL database cluster dump";
    private static final String DUMPED_FROM = "-- Dumped from database version ";
    private static final String DUMPED_BY = "-- Dumped by pg_dump version ";
    private static final String DUMPED_BY_ALL = "-- Dumped by pg_dumpall version ";
    private static final int MAX_LINES = 64;
    private static final int MAX_LINE = 2048;

    private final InputStream in;
    private final String what;

    PlainHeaderParser(InputStream in, String what) {
        this.in = in;
        this.what = what;
    }

    ArchiveHeader.Builder parse() throws IOException {
        String first = line();
        String title = first == null ? null : line();
        if (!"--".equals(first) || title == null
                || !(title.equals(DUMP_TITLE) || title.equals(CLUSTER_TITLE))) {
            throw new ArchiveHeaderException(what + " is text but does not begin with pg_dump's header (\"--\" then \""
                    + DUMP_TITLE + "\"): it is not a plain dump this plugin can restore");
        }
        ArchiveHeader.Builder b = ArchiveHeader.builder(ArchiveFormat.PLAIN).clusterDump(title.equals(CLUSTER_TITLE));
        String server = null;
        String pgDump = null;
        boolean restrict = false;
        for (int i = 0; i < MAX_LINES; i++) {
            String l = line();
            if (l == null) {
                break;
            }
            if (l.startsWith("\\restrict ") || l.equals("\\restrict")) {
                restrict = true;
            } else if (l.startsWith(DUMPED_FROM)) {
                server = l.substring(DUMPED_FROM.length()).trim();
            } else if (l.startsWith(DUMPED_BY) || l.startsWith(DUMPED_BY_ALL)) {
                pgDump = l.substring(l.startsWith(DUMPED_BY) ? DUMPED_BY.length() : DUMPED_BY_ALL.length()).trim();
                break;
            } else if (!l.isBlank() && !l.startsWith("--")) {
                break;
            }
        }
        return b.versions(server, pgDump).restrictCommand(restrict);
    }

    /** One line without its terminator, or {@code null} at the end; bytes are read one by one, never ahead. */
    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c = in.read();
        if (c < 0) {
            return null;
        }
        while (c >= 0 && c != '\n') {
            if (buf.size() >= MAX_LINE) {
                throw new ArchiveHeaderException(what + " has a line longer than " + MAX_LINE
                        + " bytes in its first lines: it is not a plain dump this plugin can restore");
            }
            buf.write(c);
            c = in.read();
        }
        String s = buf.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
