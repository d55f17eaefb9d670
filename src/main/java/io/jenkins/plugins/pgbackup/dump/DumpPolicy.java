package io.jenkins.plugins.pgbackup.dump;

import io.jenkins.plugins.pgbackup.dump.Compression.Algorithm;
import java.io.Serial;
import java.io.Serializable;

/**
 * Chooses pg_dump's format and compression. The seed picked by server version (14+: custom level 9; 12–13: custom 6;
 * older: plain 3). Measured on a 931 MB database, gzip 9 took twice as long as gzip 6 for a few percent of size, and
 * zstd:3 was faster than both and smaller (docs/format-and-compression.md), so the default is custom format with zstd:3
 * where the pg_dump that runs can write it, else gzip 6. What counts is the client, not the server: pg_dump 16+ writes
 * zstd whatever server version it reads from.
 */
public final class DumpPolicy {

    /** What the pg_dump that will run can do. */
    public record Client(int major, boolean gzip, boolean lz4, boolean zstd) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        boolean supports(Algorithm a) {
            return switch (a) {
                case NONE -> true;
                case GZIP -> gzip;
                case LZ4 -> lz4 && major >= 16;
                case ZSTD -> zstd && major >= 16;
            };
        }
    }

    /** The outcome, with the reason for the log. */
    public record Choice(DumpFormat format, Compression compression, int jobs, String rationale)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    public static final Compression DEFAULT_ZSTD = Compression.of(Algorithm.ZSTD, 3);
    public static final Compression DEFAULT_GZIP = Compression.of(Algorithm.GZIP, 6);

    private DumpPolicy() {}

    /**
     * @param format the user's format, or {@code null} for the default (custom)
     * @param compression the user's compression, or {@code null} for the default
     * @param jobs the user's parallel jobs (0 or 1: none)
     * @throws IllegalArgumentException when the user asked for something this client or format cannot do, with what
     *     to do instead
     */
    public static Choice choose(DumpFormat format, Compression compression, int jobs, Client client) {
        DumpFormat f = format == null ? DumpFormat.CUSTOM : format;
        if (jobs > 1 && !f.supportsJobs()) {
            throw new IllegalArgumentException("parallel jobs need the directory format; pg_dump cannot dump the "
                    + f.id() + " format with " + jobs + " jobs");
        }
        int j = Math.max(1, jobs);
        if (!f.supportsCompression()) {
            if (compression != null && compression.algorithm() != Algorithm.NONE) {
                throw new IllegalArgumentException("pg_dump cannot compress the tar format; choose the custom or "
                        + "directory format, or compression 'none'");
            }
            return new Choice(f, Compression.NONE, j, "tar format: pg_dump writes it uncompressed");
        }
        if (compression != null) {
            return new Choice(f, checked(compression, client), j, "compression " + compression + " as configured");
        }
        if (client.supports(Algorithm.ZSTD)) {
            return new Choice(f, DEFAULT_ZSTD, j, "zstd:3: pg_dump " + client.major()
                    + " supports zstd, faster and smaller than gzip");
        }
        if (client.gzip()) {
            return new Choice(f, DEFAULT_GZIP, j, "gzip:6: pg_dump " + client.major()
                    + (client.major() >= 16 ? " was built without zstd" : " predates zstd (16)"));
        }
        return new Choice(f, Compression.NONE, j, "none: pg_dump " + client.major() + " was built without zlib");
    }

    private static Compression checked(Compression c, Client client) {
        if (!c.availableIn(client.major())) {
            throw new IllegalArgumentException(c.algorithm().id() + " compression needs pg_dump 16 or newer; the "
                    + "pg_dump chosen is " + client.major() + ". Use gzip, or install postgresql-client-16 or newer.");
        }
        if (!client.supports(c.algorithm())) {
            throw new IllegalArgumentException("pg_dump " + client.major() + " on this agent was built without "
                    + c.algorithm().id() + " support. Use gzip, or install a build with " + c.algorithm().id() + ".");
        }
        return c;
    }
}
