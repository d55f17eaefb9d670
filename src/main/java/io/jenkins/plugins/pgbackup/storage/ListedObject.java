package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One object as a ListObjectsV2 page describes it: no request beyond the listing was made. */
public final class ListedObject implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String key;
    private final long size;
    private final String eTag;
    private final Instant lastModified;

    public ListedObject(String key, long size, String eTag, Instant lastModified) {
        this.key = Objects.requireNonNull(key, "key");
        this.size = size;
        this.eTag = eTag;
        this.lastModified = lastModified;
    }

    public String getKey() {
        return key;
    }

    public long getSize() {
        return size;
    }

    /** As the server lists it (quoted); compare with {@link BackupManifest#normalizeETag}. */
    public String getETag() {
        return eTag;
    }

    /** May be {@code null}. */
    public Instant getLastModified() {
        return lastModified;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListedObject l && l.key.equals(key) && l.size == size && Objects.equals(l.eTag, eTag)
                && Objects.equals(l.lastModified, lastModified);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, size, eTag);
    }

    @Override
    public String toString() {
        return key + " (" + size + " bytes)";
    }
}
