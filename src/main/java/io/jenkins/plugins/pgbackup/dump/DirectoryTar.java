package io.jenkins.plugins.pgbackup.dump;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Packs a pg_dump directory-format dump (a flat folder of {@code toc.dat} and data files) as a ustar stream, so it
 * uploads as one object, and unpacks it again for pg_restore. Written here rather than taken from a library because
 * pg_dump's directory is flat with short names, which is all this handles, and the stream must be generated lazily
 * (no temporary tar file next to the dump).
 */
public final class DirectoryTar {
    private static final int BLOCK = 512;

    private DirectoryTar() {}

    /** A lazily generated tar of the regular files in {@code dir}, {@code toc.dat} first so the header leads. */
    public static InputStream stream(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).sorted((a, b) -> rank(a) - rank(b) != 0 ? rank(a) - rank(b)
                    : name(a).compareTo(name(b))).forEach(files::add);
        }
        List<InputStream> parts = new ArrayList<>();
        for (Path f : files) {
            parts.add(new LazyEntry(f));
        }
        parts.add(new ByteArrayInputStream(new byte[2 * BLOCK]));
        Enumeration<InputStream> e = Collections.enumeration(parts);
        return new SequenceInputStream(e);
    }

    private static int rank(Path p) {
        return name(p).equals("toc.dat") ? 0 : 1;
    }

    private static String name(Path p) {
        Path n = p.getFileName();
        return n == null ? "" : n.toString();
    }

    /** Unpacks a stream written by {@link #stream(Path)} into {@code dir}, refusing paths that leave it. */
    public static void extract(InputStream in, Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] header = new byte[BLOCK];
        while (true) {
            readFully(in, header);
            if (isZero(header)) {
                return;
            }
            String name = field(header, 0, 100);
            long size = Long.parseLong(field(header, 124, 12).trim(), 8);
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IOException("Refusing unexpected entry '" + name + "' in a directory-format backup");
            }
            try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
                copy(in, out, size);
            }
            long pad = (BLOCK - size % BLOCK) % BLOCK;
            skipFully(in, pad);
        }
    }

    private static byte[] header(String name, long size, long mtimeSeconds) {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) {
            throw new IllegalArgumentException("file name too long for a directory-format backup: " + name);
        }
        System.arraycopy(n, 0, h, 0, n.length);
        put(h, 100, String.format("%07o", 0644));
        put(h, 108, String.format("%07o", 0));
        put(h, 116, String.format("%07o", 0));
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", mtimeSeconds));
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int r = in.read(b, off, b.length - off);
            if (r < 0) {
                throw new EOFException("directory-format backup is truncated");
            }
            off += r;
        }
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        byte[] buf = new byte[BLOCK];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("directory-format backup is truncated");
            }
            left -= r;
        }
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("directory-format backup is truncated");
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    /** One entry: header, content and padding, opened only when the sequence reaches it. */
    private static final class LazyEntry extends InputStream {
        private final Path file;
        private InputStream delegate;

        LazyEntry(Path file) {
            this.file = file;
        }

        private InputStream open() {
            if (delegate == null) {
                try {
                    long size = Files.size(file);
                    long mtime = Files.getLastModifiedTime(file).toMillis() / 1000;
                    byte[] head = header(name(file), size, mtime);
                    byte[] pad = new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)];
                    delegate = new SequenceInputStream(Collections.enumeration(List.of(
                            new ByteArrayInputStream(head), Files.newInputStream(file), new ByteArrayInputStream(pad))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return delegate;
        }

        @Override
        public int read() throws IOException {
            return open().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return open().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (delegate != null) {
                delegate.close();
            }
        }
    }
}
