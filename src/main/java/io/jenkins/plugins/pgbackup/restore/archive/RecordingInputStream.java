package io.jenkins.plugins.pgbackup.restore.archive;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Keeps a copy of every byte read from the source, so that the bytes the header parser consumed can be replayed in
 * front of the rest of the stream. Refuses to read past {@code limit}: a header never needs that much.
 */
final class RecordingInputStream extends FilterInputStream {
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    private final int limit;

    RecordingInputStream(InputStream in, int limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        checkRoom(1);
        int b = in.read();
        if (b >= 0) {
            copy.write(b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        checkRoom(1);
        int r = in.read(b, off, Math.min(len, limit - copy.size()));
        if (r > 0) {
            copy.write(b, off, r);
        }
        return r;
    }

    @Override
    public long skip(long n) throws IOException {
        long done = 0;
        byte[] buf = new byte[512];
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public int available() throws IOException {
        return Math.min(in.available(), limit - copy.size());
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: the copy is the replay mechanism
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /** Closing is the caller's business once it has the rest of the stream; the parser must not close it. */
    @Override
    public void close() {
        // deliberately left open
    }

    private void checkRoom(int n) throws ArchiveHeaderException {
        if (copy.size() + n > limit) {
            throw new ArchiveHeaderException("No pg_dump header within the first " + limit
                    + " bytes: this is not a dump this plugin can restore");
        }
    }

    int count() {
        return copy.size();
    }

    byte[] recorded() {
        return copy.toByteArray();
    }
}
