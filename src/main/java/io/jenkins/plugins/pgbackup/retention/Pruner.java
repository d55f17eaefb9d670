package io.jenkins.plugins.pgbackup.retention;

import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.CatalogInventory;
import io.jenkins.plugins.pgbackup.storage.CatalogScan;
import io.jenkins.plugins.pgbackup.storage.DeleteResult;
import io.jenkins.plugins.pgbackup.storage.ListedObject;
import io.jenkins.plugins.pgbackup.storage.OpenUpload;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Applies a {@link RetentionPolicy} to one database's backups right after a successful backup.
 *
 * <p>Pruning needs the {@link UploadResult} of that backup, which only a finished upload produces, so a failed or
 * partial backup has nothing to prune with. The backup is also read back from storage first: if it is missing, or its
 * database, size or SHA-256 differ, nothing is pruned. Only complete backups this plugin wrote for that database
 * under the catalog's prefix are candidates; foreign objects and other databases are never touched, and the backup
 * just made is always kept. A backup is deleted manifest first, then its dump ({@link BackupCatalog#deleteBackups}),
 * then what belongs to it: its globals and its {@code pgVerify} record.
 *
 * <p>Every run, with keep rules or without, removes what crashed or killed backups of that database left: dumps the
 * plugin created that never got a manifest, and manifests without their dump, once they are older than the policy's
 * grace period ({@link RetentionPolicy#getUnfinishedGrace()}, {@value #GRACE_HOURS} hours by default, at least
 * {@value #MINIMUM_GRACE_HOURS}) measured from the later of the key's timestamp and LastModified. The grace keeps a
 * backup that another job is finishing right now out of reach: its dump is listed only once its upload completes, and
 * its manifest follows within seconds, so the grace must only exceed the longest upload (S3 dates a multipart object
 * by the upload's start, so an hour-long upload is an hour old the moment it appears). Without keep rules only the
 * database's folder is listed and only old dumps without a manifest are read: no manifest is fetched.
 *
 * <p>Multipart uploads a stopped backup could not abort are leftovers too: the database's open uploads of backup
 * keys (ListMultipartUploads) are aborted once both their start and their key's time are past the grace period, which
 * keeps an upload that another job is streaming right now out of reach. Credentials that may not list uploads only
 * skip this step.
 */
public final class Pruner {
    static final int GRACE_HOURS = 24;
    /** The shortest grace allowed: below it, a multipart upload still finishing could look old enough to delete. */
    public static final int MINIMUM_GRACE_HOURS = 1;
    /** How old an unfinished upload or an orphan manifest must be before it is deleted, unless the policy says. */
    public static final Duration DEFAULT_UNFINISHED_GRACE = Duration.ofHours(GRACE_HOURS);

    private final BackupCatalog catalog;
    private final EngineLog log;

    public Pruner(BackupCatalog catalog, EngineLog log) {
        this.catalog = catalog;
        this.log = log;
    }

    /**
     * Deletes the backups of {@code database} that no rule keeps and the leftovers older than the grace period (or,
     * in a dry run, logs them). A policy without keep rules deletes only leftovers.
     *
     * @param justMade the result of the backup that just succeeded
     * @param database the database's real name, as in the backup's metadata
     * @param now the time the rules measure days, and the grace period its hours, from
     * @throws StorageException if the backup just made cannot be confirmed on storage (nothing is pruned), or
     *     listing fails; deletes that fail are in {@link PruneResult#getFailed()} instead
     */
    public PruneResult prune(UploadResult justMade, String database, RetentionPolicy policy, Instant now)
            throws StorageException, InterruptedException {
        requireConfirmed(justMade, database);
        Instant cutoff = now.minus(policy.getUnfinishedGrace());
        CatalogScan scan = catalog.scan(database);
        requireListed(scan, justMade, database);
        CatalogInventory inventory = catalog.inventory(scan, database, worthReading(policy, cutoff));
        RetentionPlan plan = policy.hasRules() ? plan(inventory, justMade, database, policy, now) : null;
        List<String> kept = plan == null ? List.of() : keys(plan.getKeep());
        List<String> selected = plan == null ? List.of() : keys(plan.getDelete());
        Set<String> dumps = listedDumps(scan, inventory);
        List<String> leftovers = Stream.of(leftovers(inventory, justMade, cutoff),
                orphanRecords(scan, dumps, cutoff), orphanGlobals(scan, dumps, cutoff))
                .flatMap(List::stream).toList();
        List<OpenUpload> staleUploads = staleUploads(database, justMade, cutoff);
        requireSafe(selected, justMade, database);
        requireSafe(leftovers, justMade, database);
        requireSafe(staleUploads.stream().map(OpenUpload::key).toList(), justMade, database);
        logPlan(database, policy, inventory, kept, selected, leftovers);
        if (policy.isDryRun()) {
            if (plan != null) {
                plan.getDelete().forEach(d -> log.info("Dry run, would delete " + d));
            }
            leftovers.forEach(k -> log.info("Dry run, would delete the leftover " + k));
            staleUploads.forEach(u -> log.info("Dry run, would abort the open multipart upload of " + describe(u)));
            return new PruneResult(true, kept, selected, List.of(), leftovers,
                    staleUploads.stream().map(Pruner::describe).toList(), Map.of());
        }
        List<String> aborted = abort(staleUploads);
        return delete(kept, selected, leftovers, aborted, inventory.getVerifyRecords());
    }

    /**
     * The database's open multipart uploads of backup keys (dumps, globals) that a stopped backup left, older than the
     * grace period by both their start and their key's time; never the backup just made.
     */
    private List<OpenUpload> staleUploads(String database, UploadResult justMade, Instant cutoff) {
        List<OpenUpload> open;
        try {
            open = catalog.openUploads(database);
        } catch (StorageException e) {
            log.info("Open multipart uploads of " + database + " not checked: " + e.getMessage());
            return List.of();
        }
        String prefix = catalog.getPrefix();
        return open.stream().filter(u -> (BackupKeys.isBackupKey(prefix, u.key())
                || BackupKeys.isGlobalsKey(prefix, u.key())) && !u.key().equals(justMade.getKey())
                && olderThan(cutoff, u.initiated(), BackupKeys.timestampOf(u.key()))).toList();
    }

    private List<String> abort(List<OpenUpload> uploads) {
        List<String> aborted = new ArrayList<>();
        for (OpenUpload u : uploads) {
            try {
                catalog.abortUpload(u);
                log.info("Aborted the open multipart upload of an unfinished backup, " + describe(u));
                aborted.add(describe(u));
            } catch (StorageException e) {
                log.warn("Could not abort the open multipart upload of an unfinished backup: " + e.getMessage());
            }
        }
        return aborted;
    }

    private static String describe(OpenUpload u) {
        return u.key() + " (upload " + u.uploadId() + ")";
    }

    /**
     * With keep rules every dump is read (the rules need every backup); without, only the dumps that may be leftovers,
     * old and without a manifest, so a backup without rules fetches no manifest.
     */
    private static Predicate<CatalogScan.Entry> worthReading(RetentionPolicy policy, Instant cutoff) {
        if (policy.hasRules()) {
            return e -> true;
        }
        return e -> !e.hasManifest() && olderThan(cutoff, e.getDump().getLastModified(), e.getKeyTimestamp());
    }

    private static List<String> keys(List<RetentionPlan.Decision> decisions) {
        return decisions.stream().map(RetentionPlan.Decision::getKey).toList();
    }

    /** The rules' decision; the listing must show the backup just made as complete, or nothing is pruned. */
    private static RetentionPlan plan(CatalogInventory inventory, UploadResult justMade, String database,
            RetentionPolicy policy, Instant now) throws StorageException {
        List<BackupObject> backups = inventory.getComplete();
        if (backups.stream().noneMatch(b -> b.getKey().equals(justMade.getKey()))) {
            throw new StorageException("Not pruning: the listing of " + database + "'s backups does not show the "
                    + "backup just made, " + justMade.getKey());
        }
        return RetentionPlanner.plan(backups, policy, now, justMade.getKey());
    }

    /**
     * A listing that does not show the backup just made with its manifest is stale or of another place: deciding
     * what is a leftover from it could be wrong, so nothing is deleted.
     */
    private static void requireListed(CatalogScan scan, UploadResult justMade, String database)
            throws StorageException {
        boolean listed = scan.getDumps().stream().anyMatch(e -> e.getKey().equals(justMade.getKey())
                && e.hasManifest());
        if (!listed) {
            throw new StorageException("Not pruning: the listing of " + database + "'s backups does not show the "
                    + "backup just made with its manifest, " + justMade.getKey());
        }
    }

    private void logPlan(String database, RetentionPolicy policy, CatalogInventory inventory, List<String> kept,
            List<String> selected, List<String> leftovers) {
        String found = leftovers.isEmpty() ? "" : leftovers.size() + " leftovers of unfinished backups older than "
                + policy.getUnfinishedGrace().toHours() + " h";
        if (!policy.hasRules()) {
            if (!leftovers.isEmpty()) {
                log.info("Cleaning up " + database + " (no retention rule): " + found
                        + (policy.isDryRun() ? ", dry run" : ""));
            }
            return;
        }
        log.info("Retention for " + database + " (" + policy.describe() + "): " + inventory.getComplete().size()
                + " backups, " + kept.size() + " kept, " + selected.size()
                + (policy.isDryRun() ? " would be deleted" : " to delete") + (found.isEmpty() ? "" : "; " + found));
        inventory.getIgnored().forEach((k, why) -> log.info("Not a complete backup, left alone: " + k + ": " + why));
    }

    /** Deletes the selected backups and the leftovers, then what belonged to them; every failure is reported. */
    private PruneResult delete(List<String> kept, List<String> selected, List<String> leftovers,
            List<String> abortedUploads, Set<String> verifyRecords) throws StorageException {
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> pruned = List.of();
        if (!selected.isEmpty()) {
            DeleteResult deleted = catalog.deleteBackups(selected);
            deleted.getDeleted().forEach(k -> log.info("Deleted old backup " + k));
            deleted.getFailed().forEach((k, why) -> log.warn("Could not delete old backup " + k + ": " + why));
            pruned = deleted.getDeleted();
            failed.putAll(deleted.getFailed());
        }
        List<String> cleaned = new ArrayList<>();
        List<String> globals = leftovers.stream().filter(Pruner::isGlobals).toList();
        if (!globals.isEmpty()) {
            DeleteResult deleted = catalog.deleteBackups(globals); // with their manifests, manifest first
            deleted.getDeleted().forEach(k -> log.info("Deleted the globals of a backup that is gone, " + k));
            deleted.getFailed().forEach((k, why) -> log.warn("Could not delete the leftover " + k + ": " + why));
            cleaned.addAll(deleted.getDeleted());
            failed.putAll(deleted.getFailed());
        }
        List<String> others = leftovers.stream().filter(k -> !isGlobals(k)).toList();
        if (!others.isEmpty()) {
            DeleteResult deleted = catalog.delete(others);
            deleted.getDeleted().forEach(k -> log.info((isRecord(k) ? "Deleted the pgVerify record of a backup that "
                    + "is gone, " : "Deleted the leftover of an unfinished backup ") + k));
            deleted.getFailed().forEach((k, why) -> log.warn("Could not delete the leftover " + k + ": " + why));
            cleaned.addAll(deleted.getDeleted());
            failed.putAll(deleted.getFailed());
        }
        // Dumps and manifests of unfinished backups; orphan records and globals have no companions of their own.
        List<String> cleanedBackups = cleaned.stream().filter(k -> !isRecord(k) && !isGlobals(k)).toList();
        List<String> cleanedDumps = cleanedBackups.stream().filter(k -> !k.endsWith(BackupKeys.MANIFEST_SUFFIX))
                .toList();
        failed.putAll(deleteGlobals(concat(pruned, cleanedDumps)));
        List<String> goneDumps = concat(pruned, cleanedBackups.stream()
                .map(k -> k.endsWith(BackupKeys.MANIFEST_SUFFIX) ? BackupKeys.dumpKeyOf(k) : k).toList());
        failed.putAll(deleteVerifyRecords(goneDumps, verifyRecords));
        return new PruneResult(false, kept, selected, pruned, List.copyOf(cleaned), abortedUploads, failed);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /**
     * Unfinished dumps and orphan manifests older than the grace period, never the backup just made nor its
     * manifest.
     */
    private static List<String> leftovers(CatalogInventory inventory, UploadResult justMade, Instant cutoff) {
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

    /** The dump keys the listing shows: dumps, and the dumps that orphan manifests name. */
    private static Set<String> listedDumps(CatalogScan scan, CatalogInventory inventory) {
        return Stream.concat(scan.getDumps().stream().map(CatalogScan.Entry::getKey),
                inventory.getOrphanManifests().stream().map(m -> BackupKeys.dumpKeyOf(m.getKey())))
                .collect(Collectors.toSet());
    }

    /**
     * {@code pgVerify} records whose dump the listing does not show (deleted by hand, or a crash between deleting the
     * dump and its record), once the dump's own time is past the grace period: a drill result without its backup
     * only misleads. A record is written after its dump exists, so one whose dump is missing is never in flight. A
     * record whose dump left a manifest goes with that manifest instead.
     */
    private static List<String> orphanRecords(CatalogScan scan, Set<String> dumps, Instant cutoff) {
        return scan.getVerifyRecords().stream().sorted().filter(r -> {
            String dump = BackupKeys.dumpKeyOfRecord(r);
            return !dumps.contains(dump) && olderThan(cutoff, BackupKeys.timestampOf(dump));
        }).toList();
    }

    /**
     * Globals ({@code includeGlobals}) whose dump the listing does not show, once their backup's time is past the
     * grace period. Globals are stored before their dump, so a backup still uploading its dump has globals without a
     * listed dump: the grace, longer than any upload, keeps those.
     */
    private static List<String> orphanGlobals(CatalogScan scan, Set<String> dumps, Instant cutoff) {
        Set<String> stems = dumps.stream().map(BackupKeys::stemOf).collect(Collectors.toSet());
        return scan.getGlobals().stream().sorted().filter(g -> {
            String stem = BackupKeys.stemOfGlobals(g);
            return !stems.contains(stem) && olderThan(cutoff, BackupKeys.timestampOf(stem + ".sql"));
        }).toList();
    }

    private static boolean isGlobals(String key) {
        return BackupKeys.stemOfGlobals(key) != null;
    }

    private static boolean isRecord(String key) {
        return key.endsWith(BackupKeys.VERIFY_RECORD_SUFFIX);
    }

    /** Whether every known time is before the cutoff (and at least one is known). */
    private static boolean olderThan(Instant cutoff, Instant... times) {
        List<Instant> known = Stream.of(times).filter(Objects::nonNull).toList();
        return !known.isEmpty() && known.stream().allMatch(t -> t.isBefore(cutoff));
    }

    /**
     * Deletes the globals stored with the deleted backups, or with deleted leftovers of unfinished ones
     * ({@code includeGlobals}): they belong to their dump and never count as a backup of their own. Done after the
     * dumps, so a failure leaves a dump with its globals rather than one without; a globals object that cannot be
     * deleted is reported like a backup.
     */
    private Map<String, String> deleteGlobals(List<String> deletedDumps) throws StorageException {
        List<String> globals = new ArrayList<>();
        for (String dump : deletedDumps) {
            catalog.globals(dump).ifPresent(g -> globals.add(g.getKey()));
        }
        if (globals.isEmpty()) {
            return Map.of();
        }
        DeleteResult deleted = catalog.deleteBackups(globals); // with their manifests, manifest first
        deleted.getDeleted().forEach(k -> log.info("Deleted the globals of that backup, " + k));
        deleted.getFailed().forEach((k, why) -> log.warn("Could not delete old globals " + k + ": " + why));
        return deleted.getFailed();
    }

    /**
     * Deletes the {@code pgVerify} records ({@code <dump key>.verify.json}) of the deleted dumps that the listing
     * showed, so no drill result outlives its backup. After the dumps, for the same reason as the globals: a dump
     * that could not be deleted keeps its record, and it goes when that dump is cleaned up as a leftover.
     */
    private Map<String, String> deleteVerifyRecords(List<String> deletedDumps, Set<String> listed)
            throws StorageException {
        List<String> records = deletedDumps.stream().map(BackupKeys::verifyRecordKey).filter(listed::contains)
                .toList();
        if (records.isEmpty()) {
            return Map.of();
        }
        DeleteResult deleted = catalog.delete(records);
        deleted.getDeleted().forEach(k -> log.info("Deleted the pgVerify record of that backup, " + k));
        deleted.getFailed().forEach((k, why) -> log.warn("Could not delete the pgVerify record " + k + ": " + why));
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
