package io.jenkins.plugins.pgbackup.dump;

import java.io.Serial;
import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pg_dump compression setting: an algorithm and a level. pg_dump 16 added zstd and lz4 ({@code --compress=zstd:3});
 * before it only gzip levels ({@code -Z 6}) exist.
 */
public final class Compression implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The algorithms pg_dump knows. */
    public enum Algorithm {
        NONE, GZIP, LZ4, ZSTD;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern SPEC = Pattern.compile("(none|gzip|lz4|zstd)?(?::?(?:level=)?(\\d+))?");

    public static final Compression NONE = new Compression(Algorithm.NONE, 0);

    private final Algorithm algorithm;
    private final int level;

    private Compression(Algorithm algorithm, int level) {
        this.algorithm = algorithm;
        this.level = level;
    }

    public static Compression of(Algorithm algorithm, int level) {
        if (algorithm == Algorithm.NONE) {
            return NONE;
        }
        int max = switch (algorithm) {
            case GZIP -> 9;
            case LZ4 -> 12;
            case ZSTD -> 22;
            default -> 0;
        };
        if (level < 1 || level > max) {
            throw new IllegalArgumentException(
                    algorithm.id() + " compression level must be between 1 and " + max + ", not " + level);
        }
        return new Compression(algorithm, level);
    }

    /**
     * Parses what users write: "zstd:3", "zstd", "gzip:6", "6" (a gzip level, as {@code -Z 6}), "lz4", "none", "0".
     *
     * @return the setting, or {@code null} for blank or "auto" (the policy decides)
     * @throws IllegalArgumentException for anything else
     */
    public static Compression parse(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("auto")) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SPEC.matcher(t);
        if (!m.matches() || (m.group(1) == null && m.group(2) == null)) {
            throw new IllegalArgumentException("compression must be auto, none, gzip[:1-9], lz4[:1-12], zstd[:1-22] "
                    + "or a gzip level 0-9, not '" + text + "'");
        }
        Algorithm a = m.group(1) == null ? Algorithm.GZIP : Algorithm.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        if (a == Algorithm.NONE || (m.group(1) == null && Integer.parseInt(m.group(2)) == 0)) {
            return NONE;
        }
        int level = m.group(2) == null ? defaultLevel(a) : Integer.parseInt(m.group(2));
        return of(a, level);
    }

    private static int defaultLevel(Algorithm a) {
        return switch (a) {
            case GZIP -> 6;
            case ZSTD -> 3;
            default -> 1;
        };
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public int level() {
        return level;
    }

    /** Whether a pg_dump of this major can be asked for it at all (zstd and lz4 came with 16). */
    public boolean availableIn(int pgDumpMajor) {
        return algorithm == Algorithm.NONE || algorithm == Algorithm.GZIP || pgDumpMajor >= 16;
    }

    /**
     * The pg_dump argument: {@code --compress=zstd:3} for 16+, {@code --compress=6} before (older clients know only
     * levels), {@code --compress=0} for none.
     */
    public String pgDumpArgument(int pgDumpMajor) {
        if (algorithm == Algorithm.NONE) {
            return "--compress=0";
        }
        if (pgDumpMajor < 16) {
            if (algorithm != Algorithm.GZIP) {
                throw new IllegalArgumentException(algorithm.id() + " compression needs pg_dump 16 or newer");
            }
            return "--compress=" + level;
        }
        return "--compress=" + algorithm.id() + ":" + level;
    }

    /** "zstd:3", "gzip:6", "none": the {@code compression} metadata and the step result. */
    @Override
    public String toString() {
        return algorithm == Algorithm.NONE ? "none" : algorithm.id() + ":" + level;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Compression c && c.algorithm == algorithm && c.level == level;
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + level;
    }
}
