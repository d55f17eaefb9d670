package io.jenkins.plugins.pgbackup.process;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code capacity} bytes written to it, so a tool that prints without end cannot exhaust memory, while
 * the end of its output, where the error is, survives.
 */
final class BoundedTail extends OutputStream {
    private final byte[] ring;
    private long total;

    BoundedTail(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.ring = new byte[capacity];
    }

    @Override
    public synchronized void write(int b) {
        ring[(int) (total % ring.length)] = (byte) b;
        total++;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int start = off;
        int length = len;
        if (length > ring.length) {
            start += length - ring.length;
            total += length - ring.length;
            length = ring.length;
        }
        int pos = (int) (total % ring.length);
        int first = Math.min(length, ring.length - pos);
        System.arraycopy(b, start, ring, pos, first);
        System.arraycopy(b, start + first, ring, 0, length - first);
        total += length;
    }

    synchronized long totalBytes() {
        return total;
    }

    synchronized boolean truncated() {
        return total > ring.length;
    }

    /**
     * The kept bytes as UTF-8. When bytes were dropped, the first, partial line is dropped too: it could end with a
     * fragment of a secret that the sanitizer would no longer recognise.
     */
    synchronized String text() {
        if (!truncated()) {
            return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
        }
        int pos = (int) (total % ring.length);
        byte[] ordered = new byte[ring.length];
        System.arraycopy(ring, pos, ordered, 0, ring.length - pos);
        System.arraycopy(ring, 0, ordered, ring.length - pos, pos);
        int lineStart = 0;
        while (lineStart < ordered.length && ordered[lineStart] != '\n') {
            lineStart++;
        }
        int from = Math.min(lineStart + 1, ordered.length);
        long omitted = total - ordered.length + from;
        return "[... " + omitted + " bytes omitted ...]\n"
                + new String(ordered, from, ordered.length - from, StandardCharsets.UTF_8);
    }
}
