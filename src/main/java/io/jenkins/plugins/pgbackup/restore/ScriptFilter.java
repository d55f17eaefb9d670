package io.jenkins.plugins.pgbackup.restore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Copies an SQL script (what pg_dump writes in plain format, or pg_restore writes with {@code -f -}) on its way to psql,
 * dropping two kinds of lines where they are pg_dump's own, and passing every other byte unchanged:
 *
 * <ul>
 *   <li>{@code SET transaction_timeout = 0;}, which clients 17 and newer write and servers before 17 reject. Dropped
 *       only in a session preamble: from the top of the script (or a {@code \connect}) to the first line that is not
 *       blank, a comment, a {@code SET}, {@code set_config}, {@code BEGIN;} or psql meta-command. The same text inside a
 *       function body or as a row of {@code COPY} data is content and stays.
 *   <li>The {@code BEGIN;} and {@code COMMIT;} pg_dump wraps around large-object data ({@code lo_open}, {@code
 *       lowrite}, {@code lo_close}), when the whole script runs in one transaction ({@code psql --single-transaction}):
 *       left in, that {@code COMMIT;} would commit everything before it and leave the rest outside the transaction.
 *   <li>Given statements, whole lines outside {@code COPY} data: the drops of partitions' inherited constraints that
 *       {@code pg_restore --clean} writes and the server refuses (see {@link TargetDatabase#inheritedConstraintDrops}).
 * </ul>
 *
 * Works on bytes, line by line, so any encoding passes through; only the first bytes of a line are buffered, so a
 * line of any length (a large {@code COPY} row) streams.
 */
final class ScriptFilter {
    static final String TRANSACTION_TIMEOUT = "SET transaction_timeout = 0;";

    /** Bytes of a line kept to classify it; longer lines stream and are never dropped. */
    private static final int HEAD = 1024;

    private static final byte[] TT = ascii(TRANSACTION_TIMEOUT);
    private static final byte[] BEGIN = ascii("BEGIN;");
    private static final byte[] COMMIT = ascii("COMMIT;");
    private static final byte[] END_OF_COPY = ascii("\\.");
    private static final byte[] COPY = ascii("COPY ");
    private static final byte[] FROM_STDIN = ascii(" FROM stdin;");
    private static final byte[] CONNECT = ascii("\\connect ");
    private static final byte[] LO_OPEN = ascii("SELECT pg_catalog.lo_open(");
    private static final byte[] LO_CALL = ascii("SELECT pg_catalog.lo");
    private static final byte[][] PREAMBLE_LINES = {ascii("--"), ascii("SET "), ascii("SELECT pg_catalog.set_config("),
        ascii("\\"), BEGIN};

    private enum State {
        PREAMBLE, NORMAL, COPY_DATA, LARGE_OBJECTS
    }

    private final boolean dropTransactionTimeout;
    private final boolean unwrapLargeObjects;
    private final Set<String> redundantStatements;
    private int droppedRedundantStatements;
    private State state = State.PREAMBLE;
    private int droppedTransactionTimeouts;
    private int unwrappedLargeObjectBlocks;

    // The line being read: its first bytes, the last bytes of its content, and whether it already streamed.
    private final byte[] head = new byte[HEAD];
    private int headLength;
    private final byte[] tail = new byte[FROM_STDIN.length + 4];
    private int tailLength;
    private boolean streaming;
    /** A {@code BEGIN;} (and blank lines after it) waiting for the line that says whether it opens large objects. */
    private final ByteArrayOutputStream pendingBegin = new ByteArrayOutputStream();
    private boolean beginPending;

    /**
     * @param dropTransactionTimeout drop {@value #TRANSACTION_TIMEOUT} from session preambles
     * @param unwrapLargeObjects drop pg_dump's transaction around large-object data
     */
    ScriptFilter(boolean dropTransactionTimeout, boolean unwrapLargeObjects) {
        this(dropTransactionTimeout, unwrapLargeObjects, Set.of());
    }

    /** @param redundantStatements whole lines to drop wherever they stand outside {@code COPY} data */
    ScriptFilter(boolean dropTransactionTimeout, boolean unwrapLargeObjects, Set<String> redundantStatements) {
        this.dropTransactionTimeout = dropTransactionTimeout;
        this.unwrapLargeObjects = unwrapLargeObjects;
        this.redundantStatements = Set.copyOf(redundantStatements);
    }

    /** Whether this filter changes anything at all; if not, the script can go to psql as it is. */
    boolean isActive() {
        return dropTransactionTimeout || unwrapLargeObjects || !redundantStatements.isEmpty();
    }

    int droppedRedundantStatements() {
        return droppedRedundantStatements;
    }

    int droppedTransactionTimeouts() {
        return droppedTransactionTimeouts;
    }

    int unwrappedLargeObjectBlocks() {
        return unwrappedLargeObjectBlocks;
    }

    /** Copies {@code in} to {@code out}, filtered, to the end of {@code in}. Does not close either. */
    void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0;) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    take(buffer, from, i + 1 - from, out);
                    endLine(out, true);
                    from = i + 1;
                }
            }
            take(buffer, from, n - from, out);
        }
        if (headLength > 0 || streaming) {
            endLine(out, false);
        }
        flushPendingBegin(out);
        out.flush();
    }

    /** Adds bytes of the current line (with its newline, if it ends here). */
    private void take(byte[] b, int off, int len, OutputStream out) throws IOException {
        if (len == 0) {
            return;
        }
        if (streaming) {
            rememberTail(b, off, len);
            out.write(b, off, len);
            return;
        }
        int room = HEAD - headLength;
        if (len <= room) {
            System.arraycopy(b, off, head, headLength, len);
            headLength += len;
            return;
        }
        System.arraycopy(b, off, head, headLength, room);
        headLength += room;
        startStreaming(out);
        rememberTail(b, off + room, len - room);
        out.write(b, off + room, len - room);
    }

    /** The line is too long to be one of ours: decide what waits on it, then let it through. */
    private void startStreaming(OutputStream out) throws IOException {
        resolvePendingBegin(head, headLength, out);
        out.write(head, 0, headLength);
        rememberTail(head, 0, headLength);
        streaming = true;
    }

    private void endLine(OutputStream out, boolean newline) throws IOException {
        if (streaming) {
            advance(head, headLength, false);
        } else {
            line(out, contentLength(newline));
        }
        headLength = 0;
        tailLength = 0;
        streaming = false;
    }

    /** The length of the buffered line without its newline and a carriage return before it. */
    private int contentLength(boolean newline) {
        int n = headLength - (newline ? 1 : 0);
        if (newline && n > 0 && head[n - 1] == '\r') {
            n--;
        }
        return n;
    }

    /** A whole short line is in {@link #head}: drop it, hold it, or write it. */
    private void line(OutputStream out, int length) throws IOException {
        if (beginPending) {
            if (length == 0) {
                pendingBegin.write(head, 0, headLength);
                return;
            }
            resolvePendingBegin(head, length, out);
        }
        if (drop(length)) {
            return;
        }
        if (unwrapLargeObjects && state == State.NORMAL && is(BEGIN, length)) {
            beginPending = true;
            pendingBegin.write(head, 0, headLength);
            return;
        }
        out.write(head, 0, headLength);
        advance(head, length, true);
    }

    /** Whether the whole line in {@link #head} is one to leave out; updates the state for those it drops. */
    private boolean drop(int length) {
        if (state == State.PREAMBLE && dropTransactionTimeout && is(TT, length)) {
            droppedTransactionTimeouts++;
            return true;
        }
        if (state == State.LARGE_OBJECTS && is(COMMIT, length)) {
            state = State.NORMAL;
            return true;
        }
        if (state != State.COPY_DATA && !redundantStatements.isEmpty()
                && redundantStatements.contains(new String(head, 0, length, StandardCharsets.UTF_8))) {
            droppedRedundantStatements++;
            if (state == State.PREAMBLE) {
                state = State.NORMAL; // a statement: the preamble is over
            }
            return true;
        }
        return false;
    }

    private boolean is(byte[] text, int length) {
        return length == text.length && startsWith(head, length, text);
    }

    /** Moves the state on after a line that was written; {@code whole} is false when only its start is known. */
    private void advance(byte[] start, int length, boolean whole) {
        switch (state) {
            case COPY_DATA -> {
                if (whole && is(END_OF_COPY, length)) {
                    state = State.NORMAL;
                }
            }
            case LARGE_OBJECTS -> {
                if (length > 0 && !startsWith(start, length, LO_CALL)) {
                    state = State.NORMAL; // not pg_dump's large-object block after all: stop unwrapping
                }
            }
            case PREAMBLE -> {
                if (!preambleLine(start, length)) {
                    state = State.NORMAL;
                    normal(start, length, whole);
                }
            }
            default -> normal(start, length, whole);
        }
    }

    private void normal(byte[] start, int length, boolean whole) {
        if (startsWith(start, length, CONNECT)) {
            state = State.PREAMBLE;
        } else if (startsWith(start, length, COPY)
                && (whole ? endsWith(start, length, FROM_STDIN) : endsWith(tail, trimmedTail(), FROM_STDIN))) {
            state = State.COPY_DATA;
        }
    }

    private static boolean preambleLine(byte[] start, int length) {
        if (length == 0) {
            return true;
        }
        for (byte[] p : PREAMBLE_LINES) {
            if (startsWith(start, length, p)) {
                return true;
            }
        }
        return false;
    }

    /** The line after a {@code BEGIN;} has started: drop the BEGIN if large-object data follows, else write it. */
    private void resolvePendingBegin(byte[] start, int length, OutputStream out) throws IOException {
        if (!beginPending) {
            return;
        }
        byte[] held = pendingBegin.toByteArray();
        beginPending = false;
        pendingBegin.reset();
        if (startsWith(start, length, LO_OPEN)) {
            int afterBegin = indexOf(held, (byte) '\n') + 1;
            out.write(held, afterBegin, held.length - afterBegin);
            unwrappedLargeObjectBlocks++;
            state = State.LARGE_OBJECTS;
        } else {
            out.write(held);
        }
    }

    private void flushPendingBegin(OutputStream out) throws IOException {
        if (beginPending) {
            out.write(pendingBegin.toByteArray());
            beginPending = false;
            pendingBegin.reset();
        }
    }

    /** Keeps the last bytes of a streaming line, for the test of its end. */
    private void rememberTail(byte[] b, int off, int len) {
        if (len >= tail.length) {
            System.arraycopy(b, off + len - tail.length, tail, 0, tail.length);
            tailLength = tail.length;
            return;
        }
        int keep = Math.min(tailLength, tail.length - len);
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        System.arraycopy(b, off, tail, keep, len);
        tailLength = keep + len;
    }

    /** The tail's length without the line's newline and carriage return. */
    private int trimmedTail() {
        int n = tailLength;
        while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r')) {
            n--;
        }
        return n;
    }

    private static boolean endsWith(byte[] data, int length, byte[] suffix) {
        return length >= suffix.length
                && Arrays.equals(data, length - suffix.length, length, suffix, 0, suffix.length);
    }

    private static boolean startsWith(byte[] data, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return data.length - 1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
