package io.jenkins.plugins.pgbackup.dump;

import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.retention.PruneResult;
import io.jenkins.plugins.pgbackup.retention.Pruner;
import io.jenkins.plugins.pgbackup.retention.RetentionPolicy;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import java.time.Instant;

/**
 * Retention after a successful backup: the keep rules, and the leftovers of unfinished backups older than the grace
 * period. The engine runs it where the backup ran when that machine holds the keys; when the controller keeps them,
 * the agent cannot list or delete, and the controller runs it with its own client once the agent returned
 * ({@link BackupResult#isRetentionLeftToCaller()}).
 */
public final class BackupRetention {
    private BackupRetention() {}

    /**
     * Retention only after the upload is confirmed; a retention problem never fails the backup. It runs without keep
     * rules too, then deleting only leftovers of unfinished backups older than the grace period: a backup job is the
     * one regular visitor of its database's folder, and nobody else would clean them up.
     *
     * @param catalog of the backup's storage, with a client that holds the keys
     * @return {@code done} with what retention did, or why it could not run
     */
    public static BackupResult apply(BackupResult done, RetentionPolicy policy, BackupCatalog catalog, EngineLog log,
            Instant now) throws InterruptedException {
        if (done.getUpload() == null) {
            throw new IllegalArgumentException("The backup's upload is needed to run retention: " + done);
        }
        Outcome o = prune(done.getUpload(), done.getDatabase(), policy, catalog, log, now);
        return done.withRetention(o.result(), o.failure());
    }

    /** What retention did ({@code null} when it could not run) and why it could not, if so. */
    record Outcome(PruneResult result, String failure) {}

    static Outcome prune(UploadResult upload, String database, RetentionPolicy policy, BackupCatalog catalog,
            EngineLog log, Instant now) throws InterruptedException {
        try {
            PruneResult r = new Pruner(catalog, log).prune(upload, database, policy, now);
            if (!r.isComplete()) {
                log.warn("Retention could not delete " + r.getFailed().size() + " objects: " + r.getFailed());
            }
            return new Outcome(r, r.isComplete() ? null : "could not delete " + r.getFailed().keySet());
        } catch (StorageException e) {
            if (!policy.hasRules()) {
                // Only housekeeping nobody asked for: credentials that may write but not list stay quiet.
                log.info("Leftovers of unfinished backups not cleaned up: " + e.getMessage());
                return new Outcome(null, null);
            }
            log.warn("Retention skipped: " + e.getMessage());
            return new Outcome(null, e.getMessage());
        }
    }
}
