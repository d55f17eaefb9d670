package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveFormat;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveHeader;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveHeaderReader;
import io.jenkins.plugins.pgbackup.restore.archive.CompressionAlgorithm;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import java.io.IOException;

/**
 * What the backup holds, from its own header first and its metadata second: the format (the metadata tells a tar of a
 * directory dump from pg_dump's tar format, which look alike), the archive version, the compression and the pg_dump
 * that wrote it.
 */
final class BackupContent {
    private final ArchiveFormat format;
    private final ArchiveHeader header;
    private final PostgresVersion pgDumpVersion;
    private final String sourceServerVersion;
    private final ToolChoice.Dump dump;

    private BackupContent(ArchiveFormat format, ArchiveHeader header, PostgresVersion pgDumpVersion,
            String sourceServerVersion) {
        this.format = format;
        this.header = header;
        this.pgDumpVersion = pgDumpVersion;
        this.sourceServerVersion = sourceServerVersion;
        this.dump = format == ArchiveFormat.PLAIN
                ? ToolChoice.Dump.plain(pgDumpVersion, header.usesRestrictCommand(), header.compression())
                : ToolChoice.Dump.archive(format, header.versionMajor(), header.versionMinor(), pgDumpVersion,
                        header.compression());
    }

    /**
     * @param head the first bytes of the content, at most {@link ArchiveHeaderReader#MAX_HEADER_BYTES}
     * @throws RestoreException when the content is no dump, or not the kind its metadata declares
     */
    static BackupContent of(BackupObject backup, byte[] head, String location) throws RestoreException {
        ArchiveHeader header;
        try {
            header = ArchiveHeaderReader.read(head);
        } catch (IOException e) {
            throw new RestoreException(location + " cannot be restored: " + e.getMessage() + "."
                    + BackupTransfer.UNTOUCHED, "", false, e);
        }
        ArchiveFormat format = reconcile(header.format(), BackupTransfer.declaredFormat(backup), location);
        BackupMetadata m = backup.getMetadata();
        PostgresVersion pgDump = header.pgDumpVersion() != null ? header.pgDumpVersion()
                : parseOrNull(m.getPgDumpVersion());
        String server = header.serverVersionText() != null ? header.serverVersionText()
                : m.getServerVersion() != null ? m.getServerVersion() : "unknown";
        return new BackupContent(format, header, pgDump, server);
    }

    /**
     * The format from the header, checked against the metadata: a tar of a directory dump reads as either TAR or
     * DIRECTORY (by its compression), so there the metadata decides; any other disagreement is refused.
     */
    private static ArchiveFormat reconcile(ArchiveFormat seen, String declared, String location)
            throws RestoreException {
        ArchiveFormat expected = switch (declared) {
            case "custom" -> ArchiveFormat.CUSTOM;
            case "tar" -> ArchiveFormat.TAR;
            case "directory" -> ArchiveFormat.DIRECTORY;
            case "plain" -> ArchiveFormat.PLAIN;
            default -> null;
        };
        if (expected == null) {
            return seen;
        }
        boolean tarLike = seen == ArchiveFormat.TAR || seen == ArchiveFormat.DIRECTORY;
        boolean expectedTarLike = expected == ArchiveFormat.TAR || expected == ArchiveFormat.DIRECTORY;
        if (seen == expected || (tarLike && expectedTarLike)) {
            return expected;
        }
        throw new RestoreException(location + " cannot be restored: its metadata says it is a " + declared
                + " dump, but its content is a " + seen.id() + (seen == ArchiveFormat.PLAIN ? " SQL script" : " archive")
                + "; refusing to guess." + BackupTransfer.UNTOUCHED);
    }

    private static PostgresVersion parseOrNull(String version) {
        if (version == null || version.isBlank()) {
            return null;
        }
        try {
            return PostgresVersion.parse(version.trim().split("\\s+")[0]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    ArchiveFormat format() {
        return format;
    }

    boolean isPlain() {
        return format == ArchiveFormat.PLAIN;
    }

    ArchiveHeader header() {
        return header;
    }

    CompressionAlgorithm compression() {
        return header.compression();
    }

    /** The pg_dump that wrote it, or {@code null} when neither header nor metadata says. */
    PostgresVersion pgDumpVersion() {
        return pgDumpVersion;
    }

    String sourceServerVersion() {
        return sourceServerVersion;
    }

    /** "1.16", or {@code null} for a plain script. */
    String archiveVersion() {
        return header.archiveVersion();
    }

    ToolChoice.Dump dump() {
        return dump;
    }

    /** "custom archive 1.16 (zstd) of database 'app' from server 17.6, written by pg_dump 17.6". */
    String describe() {
        return format == header.format() ? header.describe()
                : format.id() + " dump (" + header.describe() + ")";
    }
}
