package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every backup-shaped object under a prefix, classified: complete backups (newest first), unfinished uploads the
 * plugin left (a dump without manifest and without the first layout's size and SHA-256), manifests without their dump,
 * and objects that are neither (foreign, or a manifest that disagrees with its object or cannot be read) with the
 * reason. Only complete backups are restorable; unfinished uploads and orphan manifests are what retention cleans up
 * after a grace period; the rest is never touched.
 */
public final class CatalogInventory implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final List<BackupObject> complete;
    private final List<BackupObject> unfinished;
    private final List<ListedObject> orphanManifests;
    private final Map<String, String> ignored;
    private final Set<String> verifyRecords;

    CatalogInventory(List<BackupObject> complete, List<BackupObject> unfinished, List<ListedObject> orphanManifests,
            Map<String, String> ignored, Set<String> verifyRecords) {
        this.complete = List.copyOf(complete);
        this.unfinished = List.copyOf(unfinished);
        this.orphanManifests = List.copyOf(orphanManifests);
        this.ignored = Collections.unmodifiableMap(new LinkedHashMap<>(ignored));
        this.verifyRecords = Set.copyOf(verifyRecords);
    }

    /** Complete backups, newest first by their timestamp metadata. */
    public List<BackupObject> getComplete() {
        return complete;
    }

    /** Dumps the plugin created whose upload never got its manifest (see {@link BackupObject#isUnfinishedUpload()}). */
    public List<BackupObject> getUnfinished() {
        return unfinished;
    }

    /** Manifests whose dump does not exist. */
    public List<ListedObject> getOrphanManifests() {
        return orphanManifests;
    }

    /** Backup-shaped keys that are none of the above, each with why; never deleted. */
    public Map<String, String> getIgnored() {
        return ignored;
    }

    /** Keys of the listed {@code pgVerify} records ({@link CatalogScan#getVerifyRecords()}). */
    public Set<String> getVerifyRecords() {
        return verifyRecords;
    }
}
