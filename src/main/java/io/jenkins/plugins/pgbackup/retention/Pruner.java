package io.jenkins.plugins.pgbackup.retention;

import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.CatalogInventory;
import io.jenkins.plugins.pgbackup.storage.DeleteResult;
import io.jenkins.plugins.pgbackup.storage.ListedObject;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Applies a {@link RetentionPolicy} to one database's backups right after a successful backup.
 *
 * <p>Pruning needs the {@link UploadResult} of that backup, which only a finished upload produces, so a failed or
 * partial backup has nothing to prune with. The backup is also read back from storage first: if it is missing, or its
 * database, size or SHA-256 differ, nothing is pruned. Only complete backups this plugin wrote for that database
 * under the catalog's prefix are candidates; foreign objects and other databases are never touched, and the backup
 * just made is always kept. A backup is deleted manifest first, then its dump ({@link BackupCatalog#deleteBackups}).
 *
 * <p>The same run removes what crashed or killed backups of that database left: dumps the plugin created that never got
 * a manifest, and manifests without their dump, once they are older than a grace period ({@value #GRACE_HOURS} hours
 * by default) measured from the later of the key's timestamp and LastModified. The grace keeps a backup that another
 * job is finishing right now out of reach: its dump is listed only once its upload completes, and its manifest follows
 * within seconds, so the grace must only exceed the longest upload (S3 dates a multipart object by the upload's start).
 */
public final class Pruner {
    static final int GRACE_HOURS = 24;
    /** How old an unfinished upload or an orphan manifest must be before retention deletes it. */
    public static final Duration DEFAULT_UNFINISHED_GRACE = Duration.ofHours(GRACE_HOURS);

    private final BackupCatalog catalog;
    private final EngineLog log;
    private final Duration grace;

    public Pruner(BackupCatalog catalog, EngineLog log) {
        this(catalog, log, DEFAULT_UNFINISHED_GRACE);
    }

    /** @param unfinishedGrace how old leftovers of unfinished backups must be to be deleted; not negative */
    public Pruner(BackupCatalog catalog, EngineLog log, Duration unfinishedGrace) {
        this.catalog = catalog;
        this.log = log;
        if (unfinishedGrace.isNegative()) {
            throw new IllegalArgumentException("The grace period must not be negative: " + unfinishedGrace);
        }
        this.grace = unfinishedGrace;
    }

    /**
     * Deletes the backups of {@code database} that no rule keeps (or, in a dry run, logs them).
     *
     * @param justMade the result of the backup that just succeeded
     * @param database the database's real name, as in the backup's metadata
     * @param now the time the rules measure days from
     * @throws StorageException if the backup just made cannot be confirmed on storage (nothing is pruned), or
     *     listing fails; deletes that fail are in {@link PruneResult#getFailed()} instead
     */
    public PruneResult prune(UploadResult justMade, String database, RetentionPolicy policy, Instant now)
            throws StorageException, InterruptedException {
        requireConfirmed(justMade, database);
        CatalogInventory inventory = catalog.inventory(database);
        List<BackupObject> backups = inventory.getComplete();
        if (backups.stream().noneMatch(b -> b.getKey().equals(justMade.getKey()))) {
            throw new StorageException("Not pruning: the listing of " + database + "'s backups does not show the "
                    + "backup just made, " + justMade.getKey());
        }
        RetentionPlan plan = RetentionPlanner.plan(backups, policy, now, justMade.getKey());
        List<String> kept = plan.getKeep().stream().map(RetentionPlan.Decision::getKey).toList();
        List<String> selected = plan.getDelete().stream().map(RetentionPlan.Decision::getKey).toList();
        List<String> leftovers = leftovers(inventory, justMade, now);
        requireSafe(selected, justMade, database);
        requireSafe(leftovers, justMade, database);
        log.info("Retention for " + database + " (" + policy.describe() + "): " + backups.size() + " backups, "
                + kept.size() + " kept, " + selected.size() + (policy.isDryRun() ? " would be deleted" : " to delete")
                + (leftovers.isEmpty() ? "" : "; " + leftovers.size() + " leftovers of unfinished backups older than "
                + grace.toHours() + " h"));
        inventory.getIgnored().forEach((k, why) -> log.info("Not a complete backup, left alone: " + k + ": " + why));
        if (policy.isDryRun()) {
            plan.getDelete().forEach(d -> log.info("Dry run, would delete " + d));
            leftovers.forEach(k -> log.info("Dry run, would delete the leftover " + k));
            return new PruneResult(true, kept, selected, List.of(), leftovers, Map.of());
        }
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> pruned = List.of();
        if (!selected.isEmpty()) {
            DeleteResult deleted = catalog.deleteBackups(selected);
            deleted.getDeleted().forEach(k -> log.info("Deleted old backup " + k));
            deleted.getFailed().forEach((k, why) -> log.warn("Could not delete old backup " + k + ": " + why));
            pruned = deleted.getDeleted();
            failed.putAll(deleted.getFailed());
        }
        List<String> cleaned = List.of();
        if (!leftovers.isEmpty()) {
            DeleteResult deleted = catalog.delete(leftovers);
            deleted.getDeleted().forEach(k -> log.info("Deleted the leftover of an unfinished backup " + k));
            deleted.getFailed().forEach((k, why) -> log.warn("Could not delete the leftover " + k + ": " + why));
            cleaned = deleted.getDeleted();
            failed.putAll(deleted.getFailed());
        }
        return new PruneResult(false, kept, selected, pruned, cleaned, failed);
    }

    /**
     * Unfinished dumps and orphan manifests older than the grace period, never the backup just made nor its
     * manifest.
     */
    private List<String> leftovers(CatalogInventory inventory, UploadResult justMade, Instant now) {
        Instant cutoff = now.minus(grace);
        List<String> keys = new ArrayList<>();
        for (BackupObject b : inventory.getUnfinished()) {
            if (olderThan(cutoff, b.getLastModified(), BackupKeys.timestampOf(b.getKey()),
                    b.getMetadata().getTimestamp())) {
                keys.add(b.getKey());
            }
        }
        for (ListedObject m : inventory.getOrphanManifests()) {
            if (olderThan(cutoff, m.getLastModified(), BackupKeys.timestampOf(BackupKeys.dumpKeyOf(m.getKey())))) {
                keys.add(m.getKey());
            }
        }
        keys.removeIf(k -> k.equals(justMade.getKey()) || k.equals(BackupKeys.manifestKey(justMade.getKey())));
        return keys;
    }

    /** Whether every known time is before the cutoff (and at least one is known). */
    private static boolean olderThan(Instant cutoff, Instant... times) {
        List<Instant> known = Stream.of(times).filter(Objects::nonNull).toList();
        return !known.isEmpty() && known.stream().allMatch(t -> t.isBefore(cutoff));
    }

    /** The backup just made must be on storage, complete, of this database, with the uploaded size and hash. */
    private void requireConfirmed(UploadResult justMade, String database) throws StorageException {
        if (!justMade.getBucket().equals(catalog.getBucket())
                || !justMade.getKey().startsWith(BackupKeys.databasePrefix(catalog.getPrefix(), database))) {
            throw new StorageException("Not pruning: the backup just made, s3://" + justMade.getBucket() + "/"
                    + justMade.getKey() + ", is not a backup of " + database + " under s3://" + catalog.getBucket()
                    + "/" + catalog.getPrefix());
        }
        BackupObject stored;
        try {
            stored = catalog.head(justMade.getKey());
        } catch (StorageException e) {
            throw new StorageException("Not pruning: the backup just made cannot be confirmed: " + e.getMessage(), e);
        }
        boolean same = database.equals(stored.getMetadata().getDatabase())
                && justMade.getSha256().equals(stored.getMetadata().getSha256())
                && justMade.getSize() == stored.getContentLength()
                && Objects.equals(BackupManifest.normalizeETag(justMade.getETag()),
                        BackupManifest.normalizeETag(stored.getETag()));
        if (!same) {
            throw new StorageException("Not pruning: " + justMade.getKey() + " on storage is not the backup just "
                    + "made (database, size, sha256 or ETag differ)");
        }
    }

    private static void requireSafe(List<String> selected, UploadResult justMade, String database) {
        if (selected.contains(justMade.getKey()) || selected.contains(BackupKeys.manifestKey(justMade.getKey()))) {
            throw new IllegalStateException("Retention selected the backup just made: " + justMade.getKey());
        }
        String folder = justMade.getKey().substring(0, justMade.getKey().lastIndexOf('/') + 1);
        for (String k : selected) {
            if (!k.startsWith(folder)) {
                throw new IllegalStateException("Retention for " + database + " selected " + k + " outside " + folder);
            }
        }
    }
}
