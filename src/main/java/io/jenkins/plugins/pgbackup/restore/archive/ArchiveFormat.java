package io.jenkins.plugins.pgbackup.restore.archive;

import java.util.Locale;

/** What kind of dump a stream holds, as pg_dump's {@code --format} names it. */
public enum ArchiveFormat {
    /** {@code -Fc}: a stream that begins with the header, format code 1. */
    CUSTOM(1),
    /**
     * {@code -Ft}: a tar whose first member, {@code toc.dat}, holds the header with format code 3. A directory dump
     * packed as a tar with {@code toc.dat} first looks the same when uncompressed (its {@code toc.dat} records code 3
     * too); only the object's {@code dump-format} metadata tells them apart then.
     */
    TAR(3),
    /**
     * {@code -Fd}: a directory's {@code toc.dat} on its own, or first in a tar of the directory whose data is
     * compressed (pg_dump cannot compress tar archives). PostgreSQL's code for it is 5, but {@code toc.dat} records 3.
     */
    DIRECTORY(5),
    /** {@code -Fp}: an SQL script for psql, possibly compressed as a whole. */
    PLAIN(-1);

    private final int code;

    ArchiveFormat(int code) {
        this.code = code;
    }

    /** PostgreSQL's {@code ArchiveFormat} code; -1 for plain scripts, which have none. */
    public int code() {
        return code;
    }

    /** The name users and the {@code dump-format} metadata use: "custom", "tar", "directory", "plain". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
