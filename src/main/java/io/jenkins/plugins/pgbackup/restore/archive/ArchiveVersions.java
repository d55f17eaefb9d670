package io.jenkins.plugins.pgbackup.restore.archive;

/**
 * Which pg_dump writes which archive format version, and which pg_restore reads it. pg_restore accepts archives up to
 * its own {@code K_VERS_MAJOR.K_VERS_MINOR.255} and refuses newer ones ("unsupported version (1.16) in file header").
 * From PostgreSQL's {@code pg_backup_archiver.h}: 1.14 added the table access method (PostgreSQL 12), 1.15 the
 * compression algorithm byte (16), 1.16 large-object metadata entries and relkind (17); 18 still writes 1.16.
 */
public final class ArchiveVersions {
    /** The newest archive minor version this code knows (1.16). */
    public static final int NEWEST_KNOWN_MINOR = 16;

    /** The first archive minor version with the compression algorithm byte instead of a gzip level. */
    static final int ALGORITHM_BYTE_MINOR = 15;

    private ArchiveVersions() {}

    /** PostgreSQL's {@code MAKE_ARCHIVE_VERSION}. */
    public static int number(int major, int minor, int revision) {
        return (major * 256 + minor) * 256 + revision;
    }

    /**
     * The oldest PostgreSQL major whose pg_restore reads archive {@code major.minor}.
     *
     * @return 12 for 1.14, 16 for 1.15, 17 for 1.16; 0 for older archives, which every client this plugin supports
     *     reads; -1 for a version newer than this code knows, whose reader it cannot name
     */
    public static int firstReaderMajor(int major, int minor) {
        if (major != 1 || minor > NEWEST_KNOWN_MINOR) {
            return -1;
        }
        if (minor >= 16) {
            return 17;
        }
        if (minor == 15) {
            return 16;
        }
        return minor == 14 ? 12 : 0;
    }

    /** The archive version a pg_dump of that major writes: "1.14" for 12–15, "1.15" for 16, "1.16" for 17 and 18. */
    public static String writtenBy(int pgDumpMajor) {
        if (pgDumpMajor > 18) {
            return "1.16 or newer";
        }
        if (pgDumpMajor >= 17) {
            return "1.16";
        }
        if (pgDumpMajor == 16) {
            return "1.15";
        }
        return pgDumpMajor >= 12 ? "1.14" : "1.13 or older";
    }
}
