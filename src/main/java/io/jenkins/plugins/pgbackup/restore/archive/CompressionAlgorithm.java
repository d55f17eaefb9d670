package io.jenkins.plugins.pgbackup.restore.archive;

import java.util.Locale;

/**
 * How a dump's data is compressed. In custom and directory archives this is pg_dump's own compression (the header's
 * algorithm byte from archive 1.15 on, PostgreSQL's {@code pg_compress_algorithm} order); for plain scripts it is the
 * compression of the whole stream.
 */
public enum CompressionAlgorithm {
    NONE, GZIP, LZ4, ZSTD;

    /** "none", "gzip", "lz4", "zstd", as pg_dump's {@code --compress} names them. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The algorithm with that header byte (0 none, 1 gzip, 2 lz4, 3 zstd), or {@code null}. */
    static CompressionAlgorithm fromCode(int code) {
        CompressionAlgorithm[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }
}
