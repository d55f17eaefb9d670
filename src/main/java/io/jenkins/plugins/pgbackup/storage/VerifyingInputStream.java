package io.jenkins.plugins.pgbackup.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes an object's content through while hashing it; at the end, a size or SHA-256 different from what the
 * manifest (or, for the first layout, the metadata) records is an {@link IOException} instead of the end of the
 * stream, so no reader can take a corrupt or truncated backup for a whole one.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final String location;
    private final long expectedSize;
    private final String expectedSha256;
    private final String recordedIn;
    private final MessageDigest sha256 = StreamingUploader.newSha256();
    private long count;
    private boolean verified;

    /**
     * The content of {@code backup} read from {@code in}, checked against the size and SHA-256 its manifest (or, in
     * the first layout, its metadata) records.
     *
     * @param location {@code s3://bucket/key}, for the messages
     */
    public static InputStream of(InputStream in, String location, BackupObject backup) {
        return new VerifyingInputStream(in, location, backup.getMetadata().getSize(),
                backup.getMetadata().getSha256(), backup.getLayout().source());
    }

    /** @param recordedIn "manifest" or "metadata": where size and SHA-256 come from, for the messages */
    VerifyingInputStream(InputStream in, String location, long expectedSize, String expectedSha256,
            String recordedIn) {
        super(in);
        this.recordedIn = recordedIn;
        this.location = location;
        this.expectedSize = expectedSize;
        this.expectedSha256 = expectedSha256;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            verifyAtEnd();
            return -1;
        }
        sha256.update(b, off, n);
        count += n;
        if (count > expectedSize) {
            throw new StorageException(location + " holds more than the " + expectedSize
                    + " bytes its " + recordedIn + " records; refusing to use it");
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be hashed too.
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        int r = buffer.length == 0 ? 0 : read(buffer, 0, buffer.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verifyAtEnd() throws StorageException {
        if (verified) {
            return;
        }
        if (count != expectedSize) {
            throw new StorageException(location + " is truncated: it ended after " + count + " bytes, but its "
                    + recordedIn + " records " + expectedSize + "; refusing to use it");
        }
        String actual = StreamingUploader.hex(sha256.digest());
        if (!actual.equals(expectedSha256)) {
            throw new StorageException(location + " is corrupt: its content has SHA-256 " + actual + ", but its "
                    + recordedIn + " records " + expectedSha256 + "; refusing to use it");
        }
        verified = true;
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }
}
