package io.jenkins.plugins.pgbackup.catalog;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one storage target holds, per database folder, at one moment; or why it could not be read. A failed listing
 * says nothing about the databases in it: callers must treat it as "unknown", never as "no backups".
 */
public final class TargetListing implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String location;
    private final Instant readAt;
    private final Map<String, DatabaseBackups> byFolder;
    private final String error;

    private TargetListing(String location, Instant readAt, Map<String, DatabaseBackups> byFolder, String error) {
        this.location = location;
        this.readAt = Objects.requireNonNull(readAt, "readAt");
        this.byFolder = byFolder;
        this.error = error;
    }

    /** A successful read; {@code byFolder} keeps its order. */
    public static TargetListing of(String location, Instant readAt, Map<String, DatabaseBackups> byFolder) {
        return new TargetListing(location, readAt, Collections.unmodifiableMap(new LinkedHashMap<>(byFolder)), null);
    }

    /** The target could not be read (unreachable, denied, misconfigured). */
    public static TargetListing failed(String location, Instant readAt, String error) {
        return new TargetListing(location, readAt, Map.of(), Objects.requireNonNull(error, "error"));
    }

    /** {@code s3://bucket/prefix}, or {@code null} if the target could not even be resolved. */
    public String getLocation() {
        return location;
    }

    public Instant getReadAt() {
        return readAt;
    }

    public boolean isFailed() {
        return error != null;
    }

    /** Why the target could not be read; {@code null} when it was. */
    public String getError() {
        return error;
    }

    /** Database folders by name, in listing order (by name). Empty when failed. */
    public Map<String, DatabaseBackups> getByFolder() {
        return byFolder;
    }

    /** The folder of a database's backups, if any backup object is stored. */
    public DatabaseBackups folder(String folderName) {
        return byFolder.get(folderName);
    }
}
