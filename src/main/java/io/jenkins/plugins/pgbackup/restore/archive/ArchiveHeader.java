package io.jenkins.plugins.pgbackup.restore.archive;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import java.io.Serial;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the first bytes of a dump say about it: for custom, tar and directory archives the header pg_dump writes
 * ({@code WriteHead()} in PostgreSQL's {@code pg_backup_archiver.c}); for plain scripts the comment lines at their top.
 * Read it with {@link ArchiveHeaderReader}.
 */
public final class ArchiveHeader implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final Pattern LEADING_VERSION = Pattern.compile("^\\s*(\\d+(?:\\.\\d+){0,2})");

    private final ArchiveFormat format;
    private final int versionMajor;
    private final int versionMinor;
    private final int versionRevision;
    private final int intSize;
    private final int offSize;
    private final CompressionAlgorithm compression;
    private final Integer compressionLevel;
    private final LocalDateTime dumpDate;
    private final String databaseName;
    private final String serverVersionText;
    private final String pgDumpVersionText;
    private final boolean restrictCommand;
    private final boolean clusterDump;
    private final boolean contentInspected;
    private final int headerLength;

    private ArchiveHeader(Builder b) {
        this.format = b.format;
        this.versionMajor = b.versionMajor;
        this.versionMinor = b.versionMinor;
        this.versionRevision = b.versionRevision;
        this.intSize = b.intSize;
        this.offSize = b.offSize;
        this.compression = b.compression;
        this.compressionLevel = b.compressionLevel;
        this.dumpDate = b.dumpDate;
        this.databaseName = b.databaseName;
        this.serverVersionText = b.serverVersionText;
        this.pgDumpVersionText = b.pgDumpVersionText;
        this.restrictCommand = b.restrictCommand;
        this.clusterDump = b.clusterDump;
        this.contentInspected = b.contentInspected;
        this.headerLength = b.headerLength;
    }

    public ArchiveFormat format() {
        return format;
    }

    /** Whether pg_restore reads it (custom, tar, directory); plain scripts go to psql. */
    public boolean isArchive() {
        return format != ArchiveFormat.PLAIN;
    }

    /** The archive format version's first number (1), 0 for plain scripts. */
    public int versionMajor() {
        return versionMajor;
    }

    /** The archive format version's second number: 14 for pg_dump 12–15, 15 for 16, 16 for 17 and 18. */
    public int versionMinor() {
        return versionMinor;
    }

    public int versionRevision() {
        return versionRevision;
    }

    /** "1.16", or {@code null} for plain scripts. */
    public String archiveVersion() {
        return isArchive() ? versionMajor + "." + versionMinor : null;
    }

    /** PostgreSQL's {@code MAKE_ARCHIVE_VERSION(major, minor, rev)}; 0 for plain scripts. */
    public int archiveVersionNumber() {
        return ArchiveVersions.number(versionMajor, versionMinor, versionRevision);
    }

    /** Bytes of an integer in the archive (4 from every pg_dump in use); 0 for plain scripts. */
    public int intSize() {
        return intSize;
    }

    /** Bytes of a file offset in the archive (8 on every current platform); 0 for plain scripts. */
    public int offSize() {
        return offSize;
    }

    /**
     * The compression of the archive's data (custom, directory), or of the whole script (plain: gzip, lz4 or zstd
     * recognised by their magic bytes). pg_restore must be built with it.
     */
    public CompressionAlgorithm compression() {
        return compression;
    }

    /**
     * The gzip level archives before 1.15 record (-1 is zlib's default, 0 no compression); {@code null} from 1.15 on,
     * which record the algorithm only, and for plain scripts.
     */
    public Integer compressionLevel() {
        return compressionLevel;
    }

    /** When pg_dump started, in the dumping machine's local time; {@code null} when absent or not a valid date. */
    public LocalDateTime dumpDate() {
        return dumpDate;
    }

    /** The dumped database's name, {@code null} for plain scripts (their header does not name it). */
    public String databaseName() {
        return databaseName;
    }

    /** The server version as the archive records it: "17.6 (Debian 17.6-1.pgdg12+1)"; {@code null} if unknown. */
    public String serverVersionText() {
        return serverVersionText;
    }

    /** The pg_dump version as the archive records it: "17.6 (Debian 17.6-1.pgdg12+1)"; {@code null} if unknown. */
    public String pgDumpVersionText() {
        return pgDumpVersionText;
    }

    /** The dumped server's version, or {@code null} when the header has none. */
    public PostgresVersion serverVersion() {
        return leadingVersion(serverVersionText);
    }

    /** The version of the pg_dump that wrote the dump, or {@code null} when the header has none. */
    public PostgresVersion pgDumpVersion() {
        return leadingVersion(pgDumpVersionText);
    }

    /** A plain script that opens with psql's {@code \restrict} meta-command (pg_dump 17.6, 16.10, 15.14, ... on). */
    public boolean usesRestrictCommand() {
        return restrictCommand;
    }

    /** A plain script written by pg_dumpall ("PostgreSQL database cluster dump"), not by pg_dump. */
    public boolean isClusterDump() {
        return clusterDump;
    }

    /**
     * Whether the dump's own header was read. False only for lz4- or zstd-compressed plain scripts, which the JDK
     * cannot decompress: then only the compression is known, and the versions come from the object's metadata.
     */
    public boolean contentInspected() {
        return contentInspected;
    }

    /** How many bytes of the stream were read to parse the header. */
    public int headerLength() {
        return headerLength;
    }

    /** "custom archive 1.16 (zstd) of database 'app' from server 17.6, written by pg_dump 17.6". */
    public String describe() {
        StringBuilder s = new StringBuilder(format.id());
        s.append(isArchive() ? " archive " + archiveVersion() : " SQL script");
        if (compression != CompressionAlgorithm.NONE) {
            s.append(" (").append(compression.id()).append(')');
        }
        if (databaseName != null) {
            s.append(" of database '").append(databaseName).append('\'');
        }
        if (serverVersionText != null) {
            s.append(" from server ").append(serverVersionText);
        }
        if (pgDumpVersionText != null) {
            s.append(", written by pg_dump ").append(pgDumpVersionText);
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    /** "17.6 (Debian 17.6-1.pgdg12+1)", "18beta1", "9.6.24" to a version; {@code null} when it starts otherwise. */
    static PostgresVersion leadingVersion(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = LEADING_VERSION.matcher(text);
        if (!m.find()) {
            return null;
        }
        try {
            return PostgresVersion.parse(m.group(1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Builder builder(ArchiveFormat format) {
        return new Builder(format);
    }

    /** Filled in by the reader as it parses. */
    static final class Builder {
        private ArchiveFormat format;
        private int versionMajor;
        private int versionMinor;
        private int versionRevision;
        private int intSize;
        private int offSize;
        private CompressionAlgorithm compression = CompressionAlgorithm.NONE;
        private Integer compressionLevel;
        private LocalDateTime dumpDate;
        private String databaseName;
        private String serverVersionText;
        private String pgDumpVersionText;
        private boolean restrictCommand;
        private boolean clusterDump;
        private boolean contentInspected = true;
        private int headerLength;

        private Builder(ArchiveFormat format) {
            this.format = format;
        }

        Builder format(ArchiveFormat value) {
            this.format = value;
            return this;
        }

        ArchiveFormat format() {
            return format;
        }

        CompressionAlgorithm compression() {
            return compression;
        }

        Builder version(int major, int minor, int revision) {
            this.versionMajor = major;
            this.versionMinor = minor;
            this.versionRevision = revision;
            return this;
        }

        Builder sizes(int intBytes, int offsetBytes) {
            this.intSize = intBytes;
            this.offSize = offsetBytes;
            return this;
        }

        Builder compression(CompressionAlgorithm algorithm, Integer level) {
            this.compression = algorithm;
            this.compressionLevel = level;
            return this;
        }

        Builder dumpDate(LocalDateTime date) {
            this.dumpDate = date;
            return this;
        }

        Builder databaseName(String name) {
            this.databaseName = name;
            return this;
        }

        Builder versions(String server, String pgDump) {
            this.serverVersionText = server;
            this.pgDumpVersionText = pgDump;
            return this;
        }

        Builder restrictCommand(boolean restrict) {
            this.restrictCommand = restrict;
            return this;
        }

        Builder clusterDump(boolean cluster) {
            this.clusterDump = cluster;
            return this;
        }

        Builder contentInspected(boolean inspected) {
            this.contentInspected = inspected;
            return this;
        }

        Builder headerLength(int length) {
            this.headerLength = length;
            return this;
        }

        ArchiveHeader build() {
            return new ArchiveHeader(this);
        }
    }
}
