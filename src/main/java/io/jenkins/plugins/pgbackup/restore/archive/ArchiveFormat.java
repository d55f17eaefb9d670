package io.jenkins.plugins.pgbackup.restore.archive;

import java.util.Locale;

/** What kind of dump a stream holds, as pg_dump's {@code --format} names it. */
public enum ArchiveFormat {
    /** {@code -Fc}: format byte 1 in the archive header. */
    CUSTOM(1),
    /** {@code -Ft}: a tar archive whose first member, {@code toc.dat}, carries the header with format byte 3. */
    TAR(3),
    /** {@code -Fd}: the directory's {@code toc.dat} (alone, or first in a tar of the directory), format byte 5. */
    DIRECTORY(5),
    /** {@code -Fp}: an SQL script for psql, possibly compressed as a whole. */
    PLAIN(-1);

    private final int code;

    ArchiveFormat(int code) {
        this.code = code;
    }

    /** The format byte pg_dump writes in the archive header; -1 for plain scripts, which have none. */
    public int code() {
        return code;
    }

    /** The name users and the {@code dump-format} metadata use: "custom", "tar", "directory", "plain". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The archive format with that header byte, or {@code null}. */
    static ArchiveFormat fromCode(int code) {
        for (ArchiveFormat f : values()) {
            if (f.code == code && code > 0) {
                return f;
            }
        }
        return null;
    }
}
