package io.jenkins.plugins.pgbackup.restore.archive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes archive headers the way pg_dump's {@code WriteHead()} lays them out for a given archive version, for the
 * versions and oddities no installed client writes (old archives, 8-byte integers, corrupt values), and a minimal
 * ustar writer for tar containers.
 */
final class HeaderBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int intSize = 4;

    static HeaderBytes archive(int vmin, int format) {
        HeaderBytes h = new HeaderBytes();
        h.raw("PGDMP".getBytes(StandardCharsets.US_ASCII));
        h.out.write(1);
        h.out.write(vmin);
        if (vmin > 0) {
            h.out.write(0);
        }
        h.out.write(h.intSize);
        if (vmin >= 7) {
            h.out.write(8);
        }
        h.out.write(format);
        return h;
    }

    /** The same, with another integer size (written before anything that depends on it). */
    static HeaderBytes archive(int vmin, int format, int intSize) {
        HeaderBytes h = new HeaderBytes();
        h.intSize = intSize;
        h.raw("PGDMP".getBytes(StandardCharsets.US_ASCII));
        h.out.write(1);
        h.out.write(vmin);
        h.out.write(0);
        h.out.write(intSize);
        h.out.write(8);
        h.out.write(format);
        return h;
    }

    HeaderBytes b(int value) {
        out.write(value);
        return this;
    }

    /** pg_dump's {@code WriteInt}: sign byte, then the magnitude least significant byte first. */
    HeaderBytes i(long value) {
        out.write(value < 0 ? 1 : 0);
        long v = Math.abs(value);
        for (int k = 0; k < intSize; k++) {
            out.write((int) (v >>> (8 * k)) & 0xff);
        }
        return this;
    }

    /** pg_dump's {@code WriteStr}: a length (-1 for NULL), then the bytes. */
    HeaderBytes s(String value) {
        if (value == null) {
            return i(-1);
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        i(b.length);
        return raw(b);
    }

    /** sec, min, hour, mday, mon (0-based), year - 1900, isdst. */
    HeaderBytes date(int year, int month, int day, int hour, int minute, int second) {
        return i(second).i(minute).i(hour).i(day).i(month - 1).i(year - 1900).i(0);
    }

    HeaderBytes raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** A complete current-layout (1.15+) header with some TOC bytes after it. */
    static byte[] modern(int vmin, int format, int algorithm) {
        return archive(vmin, format).b(algorithm).date(2026, 11, 28, 3, 4, 5).s("app").s("17.6").s("17.6")
                .raw(new byte[300]).bytes();
    }

    /** One ustar header block with a valid checksum. */
    static byte[] tarHeader(String name, long size, char type) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, String.format("%07o", 0600));
        put(h, 108, String.format("%07o", 0));
        put(h, 116, String.format("%07o", 0));
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 1_700_000_000L));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int k = 148; k < 156; k++) {
            h[k] = ' ';
        }
        long sum = 0;
        for (byte x : h) {
            sum += x & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    /** A tar entry: header, content, padding to 512. */
    static byte[] tarEntry(String name, byte[] content, char type) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tarHeader(name, content.length, type), 0, 512);
        b.write(content, 0, content.length);
        int pad = (512 - content.length % 512) % 512;
        b.write(new byte[pad], 0, pad);
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.write(p, 0, p.length);
        }
        return b.toByteArray();
    }

    static byte[] gzip(byte[] data) throws java.io.IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(data);
        }
        return b.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
