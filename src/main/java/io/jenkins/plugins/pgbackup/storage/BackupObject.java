package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored dump as the server describes it (its key, its actual size, its LastModified, its ETag) with what describes
 * its content: the {@link BackupManifest} next to it (the manifest layout), or, for backups written before manifests
 * existed, the {@code size} and {@code sha256} in its own metadata (the first layout). LastModified is informational
 * only: backups are ordered by their {@link BackupMetadata#getTimestamp() timestamp} metadata.
 */
public final class BackupObject implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    /** Where size and SHA-256 of a backup are recorded. */
    public enum Layout {
        /** In the object's own metadata ({@code size}, {@code sha256}): backups written before manifests. */
        OBJECT_METADATA("metadata"),
        /** In a manifest next to the object: every backup written since. */
        MANIFEST("manifest");

        private final String source;

        Layout(String source) {
            this.source = source;
        }

        /** "manifest" or "metadata": what messages say records size and SHA-256. */
        public String source() {
            return source;
        }
    }

    private final String key;
    private final long contentLength;
    private final Instant lastModified;
    private final String eTag;
    private final BackupMetadata objectMetadata;
    private final BackupManifest manifest;

    /** An object of the first layout, or any object read without its manifest. */
    public BackupObject(String key, long contentLength, Instant lastModified, String eTag, BackupMetadata metadata) {
        this(key, contentLength, lastModified, eTag, metadata, null);
    }

    /**
     * @param objectMetadata the object's own user metadata; {@code null} when only a listing was read (the manifest
     *     repeats it)
     * @param manifest the manifest next to it, or {@code null}
     */
    public BackupObject(String key, long contentLength, Instant lastModified, String eTag,
            BackupMetadata objectMetadata, BackupManifest manifest) {
        this.key = Objects.requireNonNull(key, "key");
        this.contentLength = contentLength;
        this.lastModified = lastModified;
        this.eTag = eTag;
        if (objectMetadata == null && manifest == null) {
            throw new IllegalArgumentException("A backup object needs its metadata or its manifest: " + key);
        }
        this.objectMetadata = objectMetadata;
        this.manifest = manifest;
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

    /** As the server reports it (quoted). */
    public String getETag() {
        return eTag;
    }

    /**
     * What describes the backup, size and SHA-256 included: the manifest's metadata with its size and SHA-256 in the
     * manifest layout, the object's own metadata in the first layout.
     */
    public BackupMetadata getMetadata() {
        return manifest != null ? manifest.completeMetadata() : objectMetadata;
    }

    /** The manifest, or {@code null} for a backup of the first layout (or an unfinished upload). */
    public BackupManifest getManifest() {
        return manifest;
    }

    public Layout getLayout() {
        return manifest != null ? Layout.MANIFEST : Layout.OBJECT_METADATA;
    }

    /**
     * Whether this is a complete backup of the plugin: the only objects the catalog lists and retention may delete by
     * its rules. In the manifest layout the manifest must agree with the object (key, size, ETag); in the first
     * layout the metadata must hold the marker, database, timestamp, size and SHA-256. Whether the content still
     * matches the SHA-256 is checked when it is read.
     */
    public boolean isCompleteBackup() {
        return incompleteness() == null;
    }

    /** Why this is not a complete backup, or {@code null} if it is. */
    public String incompleteness() {
        if (manifest != null) {
            return manifest.disagreement(key, contentLength, eTag);
        }
        if (objectMetadata.isCompleteBackup()) {
            return null;
        }
        if (!BackupMetadata.CREATED_BY_VALUE.equals(objectMetadata.getCreatedBy())) {
            return "the object was not written by PostgreSQL Backup (no " + BackupMetadata.CREATED_BY
                    + " metadata)";
        }
        return "its upload never finished: there is no manifest " + BackupKeys.manifestKey(key);
    }

    /**
     * Whether this is what a crash or an interrupted backup of the manifest layout leaves: an object the plugin
     * created (marker, database, timestamp) without size and SHA-256 in its metadata, and without a manifest.
     */
    public boolean isUnfinishedUpload() {
        return manifest == null && objectMetadata != null
                && BackupMetadata.CREATED_BY_VALUE.equals(objectMetadata.getCreatedBy())
                && objectMetadata.getDatabase() != null && objectMetadata.getTimestamp() != null
                && !objectMetadata.isCompleteBackup();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupObject b && b.key.equals(key) && b.contentLength == contentLength
                && Objects.equals(b.lastModified, lastModified) && Objects.equals(b.eTag, eTag)
                && Objects.equals(b.objectMetadata, objectMetadata) && Objects.equals(b.manifest, manifest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, contentLength, eTag);
    }

    @Override
    public String toString() {
        return key + " (" + contentLength + " bytes, " + getMetadata().getTimestampText() + ")";
    }
}
