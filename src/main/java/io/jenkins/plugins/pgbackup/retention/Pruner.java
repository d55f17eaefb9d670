package io.jenkins.plugins.pgbackup.retention;

import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.DeleteResult;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link RetentionPolicy} to one database's backups right after a successful backup.
 *
 * <p>Pruning needs the {@link UploadResult} of that backup, which only a finished upload produces, so a failed or
 * partial backup has nothing to prune with. The backup is also read back from storage first: if it is missing, or its
 * database, size or SHA-256 differ, nothing is pruned. Only complete backups this plugin wrote for that database
 * under the catalog's prefix are candidates; foreign objects and other databases are never touched, and the backup
 * just made is always kept.
 */
public final class Pruner {
    private final BackupCatalog catalog;
    private final EngineLog log;

    public Pruner(BackupCatalog catalog, EngineLog log) {
        this.catalog = catalog;
        this.log = log;
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
        List<BackupObject> backups = catalog.list(database);
        if (backups.stream().noneMatch(b -> b.getKey().equals(justMade.getKey()))) {
            throw new StorageException("Not pruning: the listing of " + database + "'s backups does not show the "
                    + "backup just made, " + justMade.getKey());
        }
        RetentionPlan plan = RetentionPlanner.plan(backups, policy, now, justMade.getKey());
        List<String> kept = plan.getKeep().stream().map(RetentionPlan.Decision::getKey).toList();
        List<String> selected = plan.getDelete().stream().map(RetentionPlan.Decision::getKey).toList();
        requireSafe(selected, justMade, database);
        log.info("Retention for " + database + " (" + policy.describe() + "): " + backups.size() + " backups, "
                + kept.size() + " kept, " + selected.size() + (policy.isDryRun() ? " would be deleted" : " to delete"));
        if (policy.isDryRun()) {
            plan.getDelete().forEach(d -> log.info("Dry run, would delete " + d));
            return new PruneResult(true, kept, selected, List.of(), Map.of());
        }
        if (selected.isEmpty()) {
            return new PruneResult(false, kept, selected, List.of(), Map.of());
        }
        DeleteResult deleted = catalog.delete(selected);
        deleted.getDeleted().forEach(k -> log.info("Deleted old backup " + k));
        deleted.getFailed().forEach((k, why) -> log.warn("Could not delete old backup " + k + ": " + why));
        Map<String, String> failed = new LinkedHashMap<>(deleted.getFailed());
        failed.putAll(deleteGlobals(deleted.getDeleted()));
        return new PruneResult(false, kept, selected, deleted.getDeleted(), failed);
    }

    /**
     * Deletes the globals stored with the deleted backups ({@code includeGlobals}): they belong to their dump and
     * never count as a backup of their own. Done after the dumps, so a failure leaves a dump with its globals rather
     * than one without; a globals object that cannot be deleted is reported like a backup.
     */
    private Map<String, String> deleteGlobals(List<String> deletedDumps) throws StorageException {
        List<String> globals = new ArrayList<>();
        for (String dump : deletedDumps) {
            catalog.globals(dump).ifPresent(g -> globals.add(g.getKey()));
        }
        if (globals.isEmpty()) {
            return Map.of();
        }
        DeleteResult deleted = catalog.delete(globals);
        deleted.getDeleted().forEach(k -> log.info("Deleted the globals of that backup, " + k));
        deleted.getFailed().forEach((k, why) -> log.warn("Could not delete old globals " + k + ": " + why));
        return deleted.getFailed();
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
                && justMade.getSize() == stored.getContentLength();
        if (!same) {
            throw new StorageException("Not pruning: " + justMade.getKey() + " on storage is not the backup just "
                    + "made (database, size or sha256 differ)");
        }
    }

    private static void requireSafe(List<String> selected, UploadResult justMade, String database) {
        if (selected.contains(justMade.getKey())) {
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
