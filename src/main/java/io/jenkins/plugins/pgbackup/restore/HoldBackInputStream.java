package io.jenkins.plugins.pgbackup.restore;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Passes a stream through, but keeps its last bytes back until the source has reported its end. The download stream
 * checks size and SHA-256 only at its end and throws there if they differ: behind this stream, pg_restore or psql
 * never receives the end of a backup whose check failed, so it cannot finish a restore from it (and with a single
 * transaction, never commits).
 */
final class HoldBackInputStream extends InputStream {
    /** Enough that the end of the last data block, and everything after it, waits for the check. */
    static final int DEFAULT_HOLD = 64 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final InputStream source;
    private final int hold;
    private final byte[] buffer;
    private int start;
    private int end;
    private boolean sourceEnded;

    HoldBackInputStream(InputStream source, int hold) {
        if (hold < 1) {
            throw new IllegalArgumentException("hold must be positive");
        }
        this.source = Objects.requireNonNull(source);
        this.hold = hold;
        this.buffer = new byte[hold + CHUNK];
    }

    HoldBackInputStream(InputStream source) {
        this(source, DEFAULT_HOLD);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (releasable() == 0) {
            if (sourceEnded) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, releasable());
        System.arraycopy(buffer, start, b, off, n);
        start += n;
        return n;
    }

    /** Bytes that may go out: all of them once the source ended (and passed its check), else all but the held ones. */
    private int releasable() {
        int buffered = end - start;
        return sourceEnded ? buffered : Math.max(0, buffered - hold);
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = source.read(buffer, end, buffer.length - end);
        if (n < 0) {
            sourceEnded = true;
        } else {
            end += n;
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
