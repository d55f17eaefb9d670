package io.jenkins.plugins.pgbackup.verify;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.Jdbc;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.restore.OpenSource;
import io.jenkins.plugins.pgbackup.restore.RestoreEngine;
import io.jenkins.plugins.pgbackup.restore.RestoreException;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import io.jenkins.plugins.pgbackup.restore.RestoreResult;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.BackupSource;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A restore drill, end to end, on the machine that runs pg_restore: find the backup, drop scratch databases that
 * killed runs left on the server, read what the backup holds, create a marked scratch database, restore into it with
 * the {@link RestoreEngine}, run the checks, and drop the scratch database in every case (failure, interruption,
 * timeout). The outcome is stored next to the backup as {@code <key>.verify.json}. No Jenkins here.
 */
public final class VerifyEngine {
    static final String RESTORE = "restore";

    private final Clock clock;

    public VerifyEngine() {
        this(Clock.systemUTC());
    }

    public VerifyEngine(Clock clock) {
        this.clock = clock;
    }

    /**
     * @return the checks' outcomes; a failed check is a result, not an exception
     * @throws RestoreException when there is nothing to verify (no such backup) or no scratch database could be made
     * @throws InterruptedException when the build was aborted; the scratch database was dropped
     */
    public VerifyResult run(VerifyRequest request, EngineLog log) throws IOException, InterruptedException {
        Instant started = clock.instant();
        RestoreRequest restore = request.getRestore();
        ConnectionSpec server = restore.getTarget();
        try (OpenSource opened = OpenSource.of(restore)) {
            BackupSource source = opened.source();
            BackupObject backup = find(source, restore);
            String scratch = scratchName(request, backup);
            log.info("Verifying s3://" + source.getBucket() + "/" + backup.getKey() + " by restoring it into the "
                    + "scratch database " + scratch + " on " + server.getHost() + ":" + server.getPort());
            prepareServer(request, server, scratch, log);
            List<VerifyCheck> checks = new ArrayList<>();
            ArchiveInventories.Inventory inventory = inventory(source, backup, restore, checks, log);
            RestoreRequest into = restore.copyFor(server.withDatabase(scratch)).key(backup.getKey()).latestOf(null)
                    .createDatabase(false).clean(false).build();
            RestoreResult restored = drill(request, into, scratch, inventory, checks, log);
            VerifyRecord record = new VerifyRecord(backup.getKey(), source.getBucket(),
                    backup.getMetadata().getDatabase(), backup.getMetadata().getTimestampText(),
                    server.getHost() + ":" + server.getPort(), scratch, request.getBuildUrl(), started,
                    clock.instant(), order(checks));
            checks.forEach(c -> log.info("Check " + c.name() + ": " + c.outcome().id() + (c.detail().isEmpty() ? ""
                    : " - " + c.detail())));
            log.info("pgVerify " + record.getOutcome() + ": " + record.getSummary());
            String recordKey = null;
            if (request.isWriteRecord() && opened.client().isPresent()) {
                recordKey = writeRecord(opened.client().get(), source.getBucket(), record, log);
            } else if (request.isWriteRecord()) {
                // No keys here: the controller writes the record it gets back, next to this backup and nowhere else.
                log.info("The controller records the result next to the backup");
            }
            VersionCache.Snapshot versions = restored == null ? restore.getCachedVersions() : restored.getVersions();
            return new VerifyResult(record, restored, recordKey, versions);
        }
    }

    private static BackupObject find(BackupSource source, RestoreRequest r) throws IOException,
            InterruptedException {
        if (r.getKey() != null) {
            return source.head(r.getKey());
        }
        Optional<BackupObject> latest = source.latest(r.getLatestOf());
        return latest.orElseThrow(() -> new RestoreException("There is no complete backup of " + r.getLatestOf()
                + " under " + r.getStorage().location() + " to verify."));
    }

    static String scratchName(VerifyRequest request, BackupObject backup) {
        return request.getScratchDatabase() != null ? request.getScratchDatabase()
                : ScratchDatabases.defaultName(backup.getMetadata().getDatabase(), request.getBuild());
    }

    /** Drops what killed runs left, and refuses a scratch name that is taken. */
    private void prepareServer(VerifyRequest request, ConnectionSpec server, String scratch, EngineLog log)
            throws RestoreException {
        if (scratch.equals(server.getDatabase())) {
            throw new RestoreException("The scratch database " + scratch + " cannot be the database of the "
                    + "connection itself: give the connection another database (postgres, say) or pgVerify another "
                    + "scratchDatabase.");
        }
        try {
            ScratchDatabases.sweep(server, request.getLeftoverGrace(), clock.instant(), log);
            Optional<ScratchDatabases.Found> taken = ScratchDatabases.find(server, scratch);
            if (taken.isPresent()) {
                throw new RestoreException("The scratch database " + scratch + " already exists on " + server.getHost()
                        + ":" + server.getPort() + (taken.get().created().isPresent()
                                ? " (another pgVerify run is using it)"
                                : " and pgVerify did not create it, so it is left alone")
                        + ". Give pgVerify another scratchDatabase.");
            }
        } catch (SQLException e) {
            throw new RestoreException("Cannot prepare the scratch database on " + server.getHost() + ":"
                    + server.getPort() + ": " + e.getMessage());
        }
    }

    private static ArchiveInventories.Inventory inventory(BackupSource source, BackupObject backup,
            RestoreRequest restore, List<VerifyCheck> checks, EngineLog log) throws InterruptedException {
        try {
            return ArchiveInventories.read(source, backup, restore.getAgeIdentities(), restore.getTools(),
                    restore.getWorkDirectory(), log);
        } catch (IOException e) {
            checks.add(VerifyCheck.failed(DatabaseChecks.TABLES, "Could not read the backup's tables: "
                    + e.getMessage()));
            return null;
        }
    }

    /** Creates, restores, checks, drops. */
    private RestoreResult drill(VerifyRequest request, RestoreRequest into, String scratch,
            ArchiveInventories.Inventory inventory, List<VerifyCheck> checks, EngineLog log)
            throws IOException, InterruptedException {
        ConnectionSpec server = request.getRestore().getTarget();
        try {
            ScratchDatabases.create(server, scratch, clock.instant());
        } catch (SQLException e) {
            throw new RestoreException("Cannot create the scratch database " + scratch + ": " + e.getMessage());
        }
        try {
            // A session held for the whole drill: a database with a session is never taken for a killed run's.
            try (Connection holder = Jdbc.connect(into.getTarget())) {
                RestoreResult restored = restore(into, checks, log);
                if (restored == null) {
                    skipRest(request, inventory, checks, "the restore failed");
                } else {
                    check(new DatabaseChecks(holder, into.getTimeout()), request, inventory, checks);
                }
                return restored;
            }
        } catch (SQLException e) {
            throw new RestoreException("Cannot connect to the scratch database " + scratch + ": " + e.getMessage());
        } finally {
            dropScratch(server, scratch, log);
        }
    }

    private static RestoreResult restore(RestoreRequest into, List<VerifyCheck> checks, EngineLog log)
            throws IOException, InterruptedException {
        try {
            RestoreResult r = new RestoreEngine().run(into, log);
            checks.add(VerifyCheck.passed(RESTORE, "Restored with " + r.getTool() + " " + r.getToolVersion() + " in "
                    + r.getDurationMillis() + " ms"));
            return r;
        } catch (RestoreException e) {
            String tail = e.getStderrTail().strip();
            checks.add(VerifyCheck.failed(RESTORE, e.getMessage() + (tail.isEmpty() ? "" : " " + tail)));
            return null;
        } catch (IOException e) {
            // Storage failing half-way is a failed drill too: the backup could not be restored.
            checks.add(VerifyCheck.failed(RESTORE, String.valueOf(e.getMessage())));
            return null;
        }
    }

    private static void check(DatabaseChecks db, VerifyRequest request, ArchiveInventories.Inventory inventory,
            List<VerifyCheck> checks) {
        if (inventory != null) {
            checks.add(inventory.tables() != null ? db.tables(inventory.tables())
                    : VerifyCheck.skipped(DatabaseChecks.TABLES, inventory.notChecked()));
        }
        for (Map.Entry<String, Long> e : request.getMinRows().entrySet()) {
            checks.add(db.minRows(e.getKey(), e.getValue()));
        }
        List<String> sql = request.getSql();
        for (int i = 0; i < sql.size(); i++) {
            checks.add(db.sql(i + 1, sql.get(i)));
        }
    }

    private static void skipRest(VerifyRequest request, ArchiveInventories.Inventory inventory,
            List<VerifyCheck> checks, String why) {
        if (inventory != null) {
            checks.add(VerifyCheck.skipped(DatabaseChecks.TABLES, why));
        }
        request.getMinRows().keySet().forEach(t -> checks.add(VerifyCheck.skipped("minRows:" + t, why)));
        for (int i = 0; i < request.getSql().size(); i++) {
            checks.add(VerifyCheck.skipped("sql[" + (i + 1) + "]", why));
        }
    }

    /** The restore first, then the others in the order they ran (a failed inventory is recorded before). */
    private static List<VerifyCheck> order(List<VerifyCheck> checks) {
        List<VerifyCheck> ordered = new ArrayList<>(checks.stream().filter(c -> c.name().equals(RESTORE)).toList());
        checks.stream().filter(c -> !c.name().equals(RESTORE)).forEach(ordered::add);
        return ordered;
    }

    /** Drops the scratch database even when the thread was interrupted; the interruption is kept for the caller. */
    private static void dropScratch(ConnectionSpec server, String scratch, EngineLog log) {
        boolean interrupted = Thread.interrupted();
        try {
            ScratchDatabases.drop(server, scratch);
            log.info("Dropped the scratch database " + scratch);
        } catch (SQLException e) {
            log.warn("Could not drop the scratch database " + scratch + ": " + e.getMessage() + ". The next pgVerify "
                    + "run on this server drops it.");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String writeRecord(S3Client s3, String bucket, VerifyRecord record, EngineLog log) {
        try {
            String key = new VerifyRecords(s3, bucket).write(record);
            log.info("Recorded the result in s3://" + bucket + "/" + key);
            return key;
        } catch (StorageException e) {
            log.warn("Could not record the result next to the backup (the storage credentials may be read-only): "
                    + e.getMessage());
            return null;
        }
    }
}
