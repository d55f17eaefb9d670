package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored object as a HEAD request describes it: its key, its actual size, its LastModified (informational only:
 * backups are ordered by their {@link BackupMetadata#getTimestamp() timestamp} metadata) and its metadata.
 */
public final class BackupObject implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String key;
    private final long contentLength;
    private final Instant lastModified;
    private final String eTag;
    private final BackupMetadata metadata;

    public BackupObject(String key, long contentLength, Instant lastModified, String eTag, BackupMetadata metadata) {
        this.key = Objects.requireNonNull(key, "key");
        this.contentLength = contentLength;
        this.lastModified = lastModified;
        this.eTag = eTag;
        this.metadata = Objects.requireNonNull(metadata, "metadata");
    }

    public String getKey() {
        return key;
    }

    /** The size the server reports for the object now. */
    public long getContentLength() {
        return contentLength;
    }

    /** May be {@code null}; never used to order backups. */
    public Instant getLastModified() {
        return lastModified;
    }

    public String getETag() {
        return eTag;
    }

    public BackupMetadata getMetadata() {
        return metadata;
    }

    /**
     * Whether the plugin wrote this object as a complete backup (see {@link BackupMetadata#isCompleteBackup()}): the
     * only objects the catalog lists and retention may delete. Whether the content still matches is checked when it
     * is read.
     */
    public boolean isCompleteBackup() {
        return metadata.isCompleteBackup();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupObject b && b.key.equals(key) && b.contentLength == contentLength
                && Objects.equals(b.lastModified, lastModified) && Objects.equals(b.eTag, eTag)
                && b.metadata.equals(metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, contentLength, eTag);
    }

    @Override
    public String toString() {
        return key + " (" + contentLength + " bytes, " + metadata.getTimestampText() + ")";
    }
}
