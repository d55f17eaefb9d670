package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.engine.ProgressLog;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A backup's bytes on their way from storage: counted for the progress log, the first ones kept for the archive
 * header, and an aborted build noticed between reads (blocking socket reads do not see an interrupt).
 */
final class TransferStream extends FilterInputStream {
    private final ProgressLog progress;
    private final ByteArrayOutputStream head;
    private final int headLimit;
    private long count;

    TransferStream(InputStream in, ProgressLog progress, int headLimit) {
        super(in);
        this.progress = progress;
        this.headLimit = headLimit;
        this.head = new ByteArrayOutputStream(Math.max(0, headLimit));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("the transfer of the backup was interrupted");
        }
        int n = super.read(b, off, len);
        if (n > 0) {
            int keep = Math.min(n, headLimit - head.size());
            if (keep > 0) {
                head.write(b, off, keep);
            }
            count += n;
            progress.accept(count);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Every byte must pass through read(): the verifying stream below hashes what it hands out.
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        int r = buffer.length == 0 ? 0 : read(buffer, 0, buffer.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The first bytes read, up to the limit. */
    byte[] head() {
        return head.toByteArray();
    }

    long count() {
        return count;
    }
}
