package io.jenkins.plugins.pgbackup.restore.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;

/**
 * Parses the header pg_dump writes at the start of a custom archive and of {@code toc.dat}, following
 * {@code ReadHead()} in PostgreSQL's {@code pg_backup_archiver.c} for every archive version from 1.0 on.
 */
final class CustomHeaderParser {
    static final byte[] MAGIC = "PGDMP".getBytes(StandardCharsets.US_ASCII);

    /** Names (63 bytes) and version strings are short; a longer length means the bytes are not a header. */
    private static final int MAX_STRING = 1024;
    private static final int MAX_INT_SIZE = 8;
    private static final int MAX_OFF_SIZE = 16;

    private final InputStream in;
    private final String what;
    private final boolean inTar;
    private int position;
    private int intSize;

    /**
     * @param in positioned at the magic string
     * @param what how messages name the stream: "the archive", "toc.dat in the tar archive"
     * @param inTar whether the header is that of a tar's first member
     */
    CustomHeaderParser(InputStream in, String what, boolean inTar) {
        this.in = in;
        this.what = what;
        this.inTar = inTar;
    }

    ArchiveHeader.Builder parse() throws IOException {
        byte[] magic = bytes(MAGIC.length, "magic string");
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new ArchiveHeaderException(capitalized() + " does not begin with PGDMP: it is not a pg_dump archive");
        }
        int vmaj = u8("archive version");
        int vmin = u8("archive version");
        int vrev = vmaj > 1 || (vmaj == 1 && vmin > 0) ? u8("archive version") : 0;
        if (vmaj != 1) {
            throw new ArchiveHeaderException(capitalized() + " has archive version " + vmaj + "." + vmin
                    + ", which no pg_dump writes: it is corrupt or not a pg_dump archive");
        }
        int version = ArchiveVersions.number(vmaj, vmin, vrev);
        intSize = u8("integer size");
        if (intSize < 1 || intSize > MAX_INT_SIZE) {
            throw corrupt("an integer size of " + intSize + " bytes");
        }
        int offSize = version >= ArchiveVersions.number(1, 7, 0) ? u8("offset size") : intSize;
        if (offSize < 1 || offSize > MAX_OFF_SIZE) {
            throw corrupt("an offset size of " + offSize + " bytes");
        }
        int code = u8("format");
        ArchiveFormat format = inTar ? fromTocDatInTar(code) : fromBareStream(code);
        ArchiveHeader.Builder b = ArchiveHeader.builder(format).version(vmaj, vmin, vrev).sizes(intSize, offSize);
        readCompression(b, vmin, version);
        if (version >= ArchiveVersions.number(1, 4, 0)) {
            b.dumpDate(readDate());
            b.databaseName(string("database name"));
        }
        if (version >= ArchiveVersions.number(1, 10, 0)) {
            String server = string("server version");
            b.versions(server, string("pg_dump version"));
        }
        if (inTar && b.compression() != CompressionAlgorithm.NONE) {
            // pg_dump cannot compress tar archives: this is a directory dump packed as a tar
            b.format(ArchiveFormat.DIRECTORY);
        }
        return b.headerLength(position);
    }

    /**
     * A stream that starts with the header is a custom archive (code 1) or a directory dump's {@code toc.dat}, which
     * records the tar code (3): {@code pg_backup_directory.c} writes it so, the directory being tar-compatible.
     */
    private ArchiveFormat fromBareStream(int code) throws ArchiveHeaderException {
        if (code == ArchiveFormat.CUSTOM.code()) {
            return ArchiveFormat.CUSTOM;
        }
        if (code == ArchiveFormat.TAR.code() || code == ArchiveFormat.DIRECTORY.code()) {
            return ArchiveFormat.DIRECTORY;
        }
        throw corrupt("format code " + code + " (pg_dump writes 1 for custom archives, 3 in toc.dat)");
    }

    /** In a tar, toc.dat's code 3 means pg_dump's tar format, or a directory dump packed as a tar. */
    private ArchiveFormat fromTocDatInTar(int code) throws ArchiveHeaderException {
        if (code == ArchiveFormat.TAR.code()) {
            return ArchiveFormat.TAR;
        }
        if (code == ArchiveFormat.DIRECTORY.code()) {
            return ArchiveFormat.DIRECTORY;
        }
        throw corrupt("format code " + code + " in toc.dat (pg_dump writes 3 there)");
    }

    private void readCompression(ArchiveHeader.Builder b, int vmin, int version) throws IOException {
        if (vmin >= ArchiveVersions.ALGORITHM_BYTE_MINOR) {
            int code = u8("compression algorithm");
            CompressionAlgorithm a = CompressionAlgorithm.fromCode(code);
            if (a == null) {
                throw corrupt("compression algorithm code " + code + " (pg_dump writes 0 to 3)");
            }
            b.compression(a, null);
        } else if (version >= ArchiveVersions.number(1, 2, 0)) {
            long level = version < ArchiveVersions.number(1, 4, 0) ? u8("compression level") : integer("compression level");
            if (level < -1 || level > 9) {
                throw corrupt("compression level " + level);
            }
            b.compression(level == 0 ? CompressionAlgorithm.NONE : CompressionAlgorithm.GZIP, (int) level);
        } else {
            b.compression(CompressionAlgorithm.GZIP, null);
        }
    }

    /** A {@code struct tm} as seven ints; pg_restore only warns about an invalid one, so it is not refused here. */
    private LocalDateTime readDate() throws IOException {
        long sec = integer("dump date");
        long min = integer("dump date");
        long hour = integer("dump date");
        long mday = integer("dump date");
        long mon = integer("dump date");
        long year = integer("dump date");
        integer("dump date"); // tm_isdst
        try {
            return LocalDateTime.of(Math.toIntExact(year + 1900), Math.toIntExact(mon + 1), Math.toIntExact(mday),
                    Math.toIntExact(hour), Math.toIntExact(min), Math.toIntExact(Math.min(sec, 59)));
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    /** pg_dump's {@code ReadInt}: a sign byte, then {@code intSize} bytes, least significant first. */
    private long integer(String field) throws IOException {
        int sign = u8(field);
        long value = 0;
        for (int i = 0; i < intSize; i++) {
            value |= ((long) u8(field)) << (8 * i);
        }
        return sign == 0 ? value : -value;
    }

    /** pg_dump's {@code ReadStr}: a length (negative for NULL), then that many bytes. */
    private String string(String field) throws IOException {
        long length = integer(field);
        if (length < 0) {
            return null;
        }
        if (length > MAX_STRING) {
            throw corrupt("a " + field + " of " + length + " bytes");
        }
        return new String(bytes((int) length, field), StandardCharsets.UTF_8);
    }

    private int u8(String field) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw truncated(field);
        }
        position++;
        return b;
    }

    private byte[] bytes(int n, String field) throws IOException {
        byte[] out = in.readNBytes(n);
        position += out.length;
        if (out.length < n) {
            throw truncated(field);
        }
        return out;
    }

    private ArchiveHeaderException truncated(String field) {
        return new ArchiveHeaderException(capitalized() + " is truncated: it ends after " + position
                + " bytes, inside its header (at the " + field + ")");
    }

    private ArchiveHeaderException corrupt(String detail) {
        return new ArchiveHeaderException(capitalized() + " has a corrupt header: it records " + detail
                + ", which pg_dump never writes");
    }

    private String capitalized() {
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }
}
