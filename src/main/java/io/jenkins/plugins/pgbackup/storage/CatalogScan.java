package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one paginated listing says about the backups under a prefix, without reading any object or manifest: each
 * dump key with its manifest's listing entry (if any), and manifests whose dump is not listed. Cheap (one ListObjectsV2
 * request per 1,000 keys) and therefore not a verdict: a dump with a manifest is <em>presumably</em> complete (the
 * manifest still has to be read and agree with the object), a dump without one is either a backup of the first layout
 * or an unfinished upload. {@link BackupCatalog#list(String)} decides.
 */
public final class CatalogScan implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final List<Entry> dumps;
    private final List<ListedObject> orphanManifests;
    private final Set<String> verifyRecords;
    private final Set<String> globals;

    CatalogScan(List<Entry> dumps, List<ListedObject> orphanManifests, Set<String> verifyRecords,
            Set<String> globals) {
        this.dumps = dumps.stream().sorted(Comparator.comparing(Entry::getKey).reversed()).toList();
        this.orphanManifests = List.copyOf(orphanManifests);
        this.verifyRecords = Set.copyOf(verifyRecords);
        this.globals = Set.copyOf(globals);
    }

    /** Every key with the shape of a backup key, by key descending (for the plugin's keys: newest first per folder). */
    public List<Entry> getDumps() {
        return dumps;
    }

    /** Manifests whose dump was not listed: left by a crash while pruning or by hand; never a backup. */
    public List<ListedObject> getOrphanManifests() {
        return orphanManifests;
    }

    /**
     * Keys of the {@code pgVerify} records listed ({@link BackupKeys#verifyRecordKey}): companions that go with their
     * dump, never backups or manifests (retention removes one whose dump is gone as a leftover).
     */
    public Set<String> getVerifyRecords() {
        return verifyRecords;
    }

    /**
     * Keys of the globals objects listed ({@link BackupKeys#globalsKey}; their manifests are not listed here): they go
     * with their dump, and retention removes those whose dump is gone as leftovers.
     */
    public Set<String> getGlobals() {
        return globals == null ? Set.of() : globals;
    }

    /** A dump key and its manifest's listing entry. */
    public static final class Entry implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final ListedObject dump;
        private final ListedObject manifest;

        Entry(ListedObject dump, ListedObject manifest) {
            this.dump = Objects.requireNonNull(dump, "dump");
            this.manifest = manifest;
        }

        public String getKey() {
            return dump.getKey();
        }

        public ListedObject getDump() {
            return dump;
        }

        /** The manifest's listing entry, or {@code null} when there is none. */
        public ListedObject getManifest() {
            return manifest;
        }

        public boolean hasManifest() {
            return manifest != null;
        }

        /** The time the key names ({@link BackupKeys#timestampOf}); the metadata's timestamp is authoritative. */
        public Instant getKeyTimestamp() {
            return BackupKeys.timestampOf(dump.getKey());
        }

        @Override
        public String toString() {
            return dump.getKey() + (manifest == null ? " (no manifest)" : " (with manifest)");
        }
    }
}
