package io.jenkins.plugins.pgbackup.dump;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Stands between pg_dump's standard output and the upload, so that the upload can only complete with a real dump.
 * It fails the read as soon as the first bytes are not what the format begins with, and at the end of the stream it
 * waits for pg_dump's exit before reporting EOF: a pg_dump that exits non-zero, or wrote nothing, fails the read, which
 * makes the uploader abort instead of completing an object.
 */
public final class DumpStreamGuard extends FilterInputStream {

    /** Called once at the end of the stream; throws when the producer failed. */
    @FunctionalInterface
    public interface EndCheck {
        void atEnd(long bytes) throws IOException;
    }

    static final int PREFIX = 1024;
    private static final byte[] PGDMP = "PGDMP".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] LZ4 = {0x04, 0x22, 0x4d, 0x18};

    private final DumpFormat format;
    private final Compression compression;
    private final EndCheck endCheck;
    private final byte[] prefix = new byte[PREFIX];
    private int prefixLength;
    private boolean prefixChecked;
    private boolean ended;
    private long bytes;

    public DumpStreamGuard(InputStream in, DumpFormat format, Compression compression, EndCheck endCheck) {
        super(in);
        this.format = format;
        this.compression = compression;
        this.endCheck = endCheck;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int r = read(one, 0, 1);
        return r < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        int r = super.read(b, off, len);
        if (r < 0) {
            end();
            return -1;
        }
        bytes += r;
        if (!prefixChecked) {
            int take = Math.min(r, PREFIX - prefixLength);
            System.arraycopy(b, off, prefix, prefixLength, take);
            prefixLength += take;
            if (prefixLength == PREFIX) {
                checkPrefix();
            }
        }
        return r;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("the dump stream cannot be skipped");
    }

    /** Bytes that passed through. */
    public long bytes() {
        return bytes;
    }

    private void end() throws IOException {
        ended = true;
        if (bytes == 0) {
            endCheck.atEnd(0);
            throw new IOException("pg_dump wrote nothing");
        }
        if (!prefixChecked) {
            checkPrefix();
        }
        endCheck.atEnd(bytes);
    }

    private void checkPrefix() throws IOException {
        prefixChecked = true;
        String problem = problem(format, compression, Arrays.copyOf(prefix, prefixLength));
        if (problem != null) {
            throw new IOException("pg_dump's output is not a valid " + format.id() + " dump: " + problem);
        }
    }

    /** Why these leading bytes cannot begin a dump of this format and compression, or {@code null} if they can. */
    static String problem(DumpFormat format, Compression compression, byte[] head) {
        return switch (format) {
            case CUSTOM -> startsWith(head, 0, PGDMP) ? null : "it does not begin with the PGDMP archive header";
            case TAR, DIRECTORY -> tarProblem(head);
            case PLAIN -> plainProblem(compression, head);
        };
    }

    private static String tarProblem(byte[] head) {
        if (head.length < 512 + PGDMP.length || !startsWith(head, 257, "ustar".getBytes(StandardCharsets.US_ASCII))) {
            return "it is not a tar archive";
        }
        if (!startsWith(head, 0, "toc.dat\0".getBytes(StandardCharsets.US_ASCII)) || !startsWith(head, 512, PGDMP)) {
            return "its first member is not a toc.dat archive header";
        }
        return null;
    }

    private static String plainProblem(Compression compression, byte[] head) {
        byte[] magic = switch (compression.algorithm()) {
            case GZIP -> GZIP;
            case ZSTD -> ZSTD;
            case LZ4 -> LZ4;
            case NONE -> null;
        };
        if (magic != null) {
            return startsWith(head, 0, magic) ? null : "it does not begin with the " + compression.algorithm().id()
                    + " magic number";
        }
        return startsWith(head, 0, "--".getBytes(StandardCharsets.US_ASCII)) ? null
                : "it does not begin like a pg_dump SQL script";
    }

    private static boolean startsWith(byte[] a, int at, byte[] b) {
        if (a.length < at + b.length) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            if (a[at + i] != b[i]) {
                return false;
            }
        }
        return true;
    }
}
