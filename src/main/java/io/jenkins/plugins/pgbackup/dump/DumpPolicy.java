package io.jenkins.plugins.pgbackup.dump;

import io.jenkins.plugins.pgbackup.dump.Compression.Algorithm;
import io.jenkins.plugins.pgbackup.tools.ClientTool.Support;
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

    /**
     * What the pg_dump that will run can do, as its probe found: per method yes, no, or unknown, and what pg_dump said
     * about those it did not plainly accept.
     */
    public record Client(int major, Support gzip, Support lz4, Support zstd, String evidence) implements Serializable {
        @Serial
        private static final long serialVersionUID = 2L;

        public Client {
            evidence = evidence == null ? "" : evidence;
        }

        /** A client whose every answer was a plain yes or no. */
        public Client(int major, boolean gzip, boolean lz4, boolean zstd) {
            this(major, yesNo(gzip), yesNo(lz4), yesNo(zstd), "");
        }

        private static Support yesNo(boolean supported) {
            return supported ? Support.YES : Support.NO;
        }

        Support support(Algorithm a) {
            return switch (a) {
                case NONE -> Support.YES;
                case GZIP -> gzip;
                case LZ4 -> major >= 16 ? lz4 : Support.NO;
                case ZSTD -> major >= 16 ? zstd : Support.NO;
            };
        }

        /** " (pg_dump said: ...)", or nothing when it said nothing that counts. */
        String saidAbout(Algorithm a) {
            String prefix = a.id() + ": ";
            for (String part : evidence.split("; ")) {
                if (part.startsWith(prefix)) {
                    return " (pg_dump said: " + part.substring(prefix.length()) + ")";
                }
            }
            return "";
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
            String unknown = client.support(checked(compression, client).algorithm()) == Support.UNKNOWN
                    ? "; the probe could not tell whether pg_dump " + client.major() + " supports "
                            + compression.algorithm().id() + client.saidAbout(compression.algorithm())
                            + ", so pg_dump decides"
                    : "";
            return new Choice(f, compression, j, "compression " + compression + " as configured" + unknown);
        }
        return new Choice(f, automatic(client), j, automaticRationale(client));
    }

    /**
     * zstd:3 where pg_dump said yes to it, else gzip:6 unless pg_dump plainly refused gzip: a gzip the probe could
     * not tell about is tried (pg_dump reports its own refusal), so {@code auto} never ends in none silently.
     */
    private static Compression automatic(Client client) {
        if (client.support(Algorithm.ZSTD) == Support.YES) {
            return DEFAULT_ZSTD;
        }
        return client.gzip() == Support.NO ? Compression.NONE : DEFAULT_GZIP;
    }

    private static String automaticRationale(Client client) {
        int major = client.major();
        if (client.support(Algorithm.ZSTD) == Support.YES) {
            return "zstd:3: pg_dump " + major + " supports zstd, faster and smaller than gzip";
        }
        String noZstd = major < 16 ? " predates zstd (16)"
                : client.zstd() == Support.NO ? " was built without zstd" + client.saidAbout(Algorithm.ZSTD)
                : " gave an answer about zstd the probe could not read" + client.saidAbout(Algorithm.ZSTD);
        return switch (client.gzip()) {
            case YES -> "gzip:6: pg_dump " + major + noZstd;
            case UNKNOWN -> "gzip:6: pg_dump " + major + noZstd + ", and the probe could not tell whether it supports "
                    + "gzip" + client.saidAbout(Algorithm.GZIP) + "; trying gzip, pg_dump refuses it if it cannot";
            case NO -> "none: pg_dump " + major + " was built without zlib" + client.saidAbout(Algorithm.GZIP);
        };
    }

    private static Compression checked(Compression c, Client client) {
        if (!c.availableIn(client.major())) {
            throw new IllegalArgumentException(c.algorithm().id() + " compression needs pg_dump 16 or newer; the "
                    + "pg_dump chosen is " + client.major() + ". Use gzip, or install postgresql-client-16 or newer.");
        }
        if (client.support(c.algorithm()) == Support.NO) {
            throw new IllegalArgumentException("pg_dump " + client.major() + " on this agent was built without "
                    + c.algorithm().id() + " support" + client.saidAbout(c.algorithm()) + ". Use gzip, or install a "
                    + "build with " + c.algorithm().id() + ".");
        }
        return c;
    }
}
