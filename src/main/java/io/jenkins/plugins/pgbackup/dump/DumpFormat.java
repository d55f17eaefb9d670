package io.jenkins.plugins.pgbackup.dump;

import java.util.Locale;

/** pg_dump's output formats, as users name them in the step and as they are recorded in the object's metadata. */
public enum DumpFormat {
    /** {@code -Fc}: compressed, selective and parallel restore with pg_restore. The default. */
    CUSTOM("custom", "c", "dump"),
    /** {@code -Fd}: one file per table, dumped with parallel jobs; uploaded as a tar of the directory. */
    DIRECTORY("directory", "d", "dir.tar"),
    /** {@code -Fp}: an SQL script for psql. */
    PLAIN("plain", "p", "sql"),
    /** {@code -Ft}: a tar archive pg_restore reads; pg_dump cannot compress it. */
    TAR("tar", "t", "tar");

    private final String id;
    private final String flag;
    private final String extension;

    DumpFormat(String id, String flag, String extension) {
        this.id = id;
        this.flag = flag;
        this.extension = extension;
    }

    /** The name in the step ({@code format: 'custom'}) and in the {@code dump-format} metadata. */
    public String id() {
        return id;
    }

    /** The argument of {@code --format=}. */
    public String flag() {
        return flag;
    }

    /** The object key's extension, without the compression suffix plain dumps get. */
    public String extension() {
        return extension;
    }

    /** Whether pg_dump can compress this format itself. */
    public boolean supportsCompression() {
        return this != TAR;
    }

    /** Whether pg_dump can use parallel jobs ({@code -j}) for this format. */
    public boolean supportsJobs() {
        return this == DIRECTORY;
    }

    /**
     * @param text "custom", "directory", "plain", "tar" or their one-letter pg_dump forms; blank means {@link #CUSTOM}
     * @throws IllegalArgumentException for anything else
     */
    public static DumpFormat fromId(String text) {
        if (text == null || text.isBlank()) {
            return CUSTOM;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (DumpFormat f : values()) {
            if (f.id.equals(t) || f.flag.equals(t)) {
                return f;
            }
        }
        throw new IllegalArgumentException("format must be one of custom, directory, plain, tar, not '" + text + "'");
    }
}
