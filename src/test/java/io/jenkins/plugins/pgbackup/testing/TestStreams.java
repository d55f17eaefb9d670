package io.jenkins.plugins.pgbackup.testing;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Deterministic streams made on the fly, so tests move hundreds of megabytes without holding them. */
public final class TestStreams {
    private TestStreams() {}

    /** {@code size} pseudo-random bytes from {@code seed}; reads return at most {@code maxRead} bytes, like a pipe. */
    public static InputStream random(long size, long seed, int maxRead) {
        return new RandomStream(size, seed, maxRead);
    }

    public static InputStream random(long size, long seed) {
        return random(size, seed, 64 * 1024);
    }

    /** The SHA-256 of {@link #random(long, long)}'s bytes, computed independently of the code under test. */
    public static String sha256(long size, long seed) throws IOException {
        try (InputStream in = random(size, seed, 1 << 20)) {
            return sha256(in);
        }
    }

    public static String sha256(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0;) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The first {@code failAfter} bytes of {@link #random}, then an {@link IOException}, as a broken pipe. */
    public static InputStream failingAfter(long failAfter, long seed) {
        InputStream data = random(Long.MAX_VALUE, seed);
        return new InputStream() {
            private long read;

            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read >= failAfter) {
                    throw new IOException("Injected source failure after " + read + " bytes");
                }
                int n = data.read(b, off, (int) Math.min(len, failAfter - read));
                read += n;
                return n;
            }
        };
    }

    private static final class RandomStream extends InputStream {
        private final SplittableRandom random;
        private final int maxRead;
        private long remaining;
        private long word;
        private int wordBytes;

        RandomStream(long size, long seed, int maxRead) {
            this.random = new SplittableRandom(seed);
            this.remaining = size;
            this.maxRead = maxRead;
        }

        @Override
        public int read() {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, maxRead), remaining);
            for (int i = 0; i < n; i++) {
                if (wordBytes == 0) {
                    word = random.nextLong();
                    wordBytes = 8;
                }
                b[off + i] = (byte) word;
                word >>>= 8;
                wordBytes--;
            }
            remaining -= n;
            return n;
        }
    }
}
