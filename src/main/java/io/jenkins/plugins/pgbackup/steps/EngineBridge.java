package io.jenkins.plugins.pgbackup.steps;

import hudson.ProxyConfiguration;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.detection.ServerVersion;
import io.jenkins.plugins.pgbackup.detection.ServerVersionDetector;
import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.BackupRetention;
import io.jenkins.plugins.pgbackup.dump.GlobalsDump;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.notify.DiscordWebhookNotifier;
import io.jenkins.plugins.pgbackup.notify.Notification;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.restore.RestoreEngine;
import io.jenkins.plugins.pgbackup.restore.RestoreException;
import io.jenkins.plugins.pgbackup.restore.RestoreResult;
import io.jenkins.plugins.pgbackup.signing.BackupGrant;
import io.jenkins.plugins.pgbackup.signing.RestoreSigner;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.verify.VerifyEngine;
import io.jenkins.plugins.pgbackup.verify.VerifyRecord;
import io.jenkins.plugins.pgbackup.verify.VerifyResult;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/** Every call from the Jenkins layer into the engine goes through here. */
public final class EngineBridge {

    private EngineBridge() {}

    /**
     * Runs on the agent: detection (unless pinned or cached), tool resolution, pg_dump streamed to storage, retention.
     *
     * @param cached the controller's fresh cache entries for this server
     */
    static BackupOutcome backup(BackupPlan plan, List<VersionCacheStore.Entry> cached, EngineLog log)
            throws IOException, InterruptedException {
        return backup(plan, cached, log, s -> {});
    }

    /** As {@link #backup(BackupPlan, List, EngineLog)}, handing over what an interruption would leave. */
    static BackupOutcome backup(BackupPlan plan, List<VersionCacheStore.Entry> cached, EngineLog log,
            Consumer<Supplier<String>> stopState) throws IOException, InterruptedException {
        return backup(plan, cached, log, stopState, null);
    }

    /** As {@link #backup(BackupPlan, List, EngineLog, Consumer)}, with the clients started by {@code starter}. */
    static BackupOutcome backup(BackupPlan plan, List<VersionCacheStore.Entry> cached, EngineLog log,
            Consumer<Supplier<String>> stopState, ProcessStarter starter) throws IOException, InterruptedException {
        return BackupRequestMapper.outcome(backup(plan, cached, log, stopState, starter, null), plan);
    }

    /**
     * Runs on the agent, as {@link #backup(BackupPlan, List, EngineLog, Consumer, ProcessStarter)}; with
     * {@code grant}, for a plan without keys, every storage request goes to the controller or to the URLs it signs,
     * and retention is left to the controller ({@link #retainOnController}).
     */
    static BackupResult backup(BackupPlan plan, List<VersionCacheStore.Entry> cached, EngineLog log,
            Consumer<Supplier<String>> stopState, ProcessStarter starter, BackupGrant grant)
            throws IOException, InterruptedException {
        BackupEngine engine = new BackupEngine();
        stopState.accept(engine::stopSummary);
        return engine.run(BackupRequestMapper.toRequest(plan, cached, File.pathSeparator, starter, grant), log);
    }

    /**
     * On the controller, after the agent stored a backup for which the controller signed: retention with the
     * controller's own client, the keys being here only.
     *
     * @param plan the plan with the keys
     */
    static BackupResult retainOnController(BackupResult agentResult, BackupPlan plan, EngineLog log)
            throws InterruptedException {
        try (S3Client s3 = S3Clients.create(plan.storage())) {
            return BackupRetention.apply(agentResult, plan.retention().toPolicy(),
                    new BackupCatalog(s3, plan.storage()), log, Instant.now());
        }
    }

    /**
     * Runs on the agent: finding and verifying the backup, detection (unless cached), the guardrails, the client
     * choice and pg_restore (or psql). The engine keeps its temporary files in the agent's temporary directory.
     *
     * @param cached the controller's fresh cache entries for the target server
     * @throws io.jenkins.plugins.pgbackup.restore.RestoreException when refused or failed, with what to do
     */
    static RestoreOutcome restore(RestorePlan plan, List<VersionCacheStore.Entry> cached, EngineLog log)
            throws IOException, InterruptedException {
        return restore(plan, cached, log, s -> {});
    }

    /** As {@link #restore(RestorePlan, List, EngineLog)}, handing over what an interruption would leave. */
    static RestoreOutcome restore(RestorePlan plan, List<VersionCacheStore.Entry> cached, EngineLog log,
            Consumer<Supplier<String>> stopState) throws IOException, InterruptedException {
        return restore(plan, cached, log, stopState, null);
    }

    /** As {@link #restore(RestorePlan, List, EngineLog, Consumer)}, with the clients started by {@code starter}. */
    static RestoreOutcome restore(RestorePlan plan, List<VersionCacheStore.Entry> cached, EngineLog log,
            Consumer<Supplier<String>> stopState, ProcessStarter starter) throws IOException, InterruptedException {
        return restore(plan, cached, log, stopState, starter, null);
    }

    /**
     * As {@link #restore(RestorePlan, List, EngineLog, Consumer, ProcessStarter)}; when {@code signed} is not
     * {@code null}, the agent reads the backup the controller resolved through the URLs it signs.
     */
    static RestoreOutcome restore(RestorePlan plan, List<VersionCacheStore.Entry> cached, EngineLog log,
            Consumer<Supplier<String>> stopState, ProcessStarter starter, SignedReads signed)
            throws IOException, InterruptedException {
        RestoreEngine engine = new RestoreEngine();
        stopState.accept(engine::stopSummary);
        RestoreResult r = engine.run(RestoreRequestMapper.toRequest(plan, cached, File.pathSeparator, starter,
                signed == null ? null : signed.ticket(), signed == null ? null : signed.grant()), log);
        return RestoreRequestMapper.outcome(r);
    }

    /**
     * On the controller, before a restore or drill whose reads it signs: resolves the backup with the keys and returns
     * the signer bound to it (the caller closes it when the agent is done); {@code null} when the agent uses the keys.
     *
     * @throws RestoreException when the storage cannot be read or there is no such backup; nothing was touched
     */
    static RestoreSigner signRestore(RestorePlan plan) throws IOException, InterruptedException {
        if (!plan.controllerSigns()) {
            return null;
        }
        try {
            return RestoreSigner.resolve(plan.storage(), plan.key(), plan.latestOf());
        } catch (StorageException e) {
            throw RestoreException.beforeStart(e.getMessage());
        }
    }

    /**
     * On the controller, after a drill whose reads it signed: writes the record the agent returned next to the
     * backup it verified (the signer refuses any other).
     *
     * @return the outcome with the record's key, or as it was when the record could not be written
     */
    static VerifyOutcome recordVerify(RestoreSigner signer, VerifyOutcome outcome, EngineLog log) {
        VerifyRecord record = outcome.record();
        try {
            String key = signer.writeVerifyRecord(record.getKey(), record.toJson());
            log.info("Recorded the result in s3://" + record.getBucket() + "/" + key);
            return new VerifyOutcome(record, key, outcome.detected());
        } catch (StorageException e) {
            log.warn("Could not record the result next to the backup (the storage credentials may be read-only): "
                    + e.getMessage());
            return outcome;
        }
    }

    /**
     * Runs on the agent: the restore drill (find the backup, sweep leftovers, read its tables, restore into a scratch
     * database, check, drop it).
     */
    static VerifyOutcome verify(VerifyPlan plan, List<VersionCacheStore.Entry> cached, EngineLog log)
            throws IOException, InterruptedException {
        return verify(plan, cached, log, null);
    }

    /** As {@link #verify(VerifyPlan, List, EngineLog)}, with the clients started by {@code starter}. */
    static VerifyOutcome verify(VerifyPlan plan, List<VersionCacheStore.Entry> cached, EngineLog log,
            ProcessStarter starter) throws IOException, InterruptedException {
        return verify(plan, cached, log, starter, null);
    }

    /**
     * As {@link #verify(VerifyPlan, List, EngineLog, ProcessStarter)}; when {@code signed} is not {@code null}, the
     * agent reads the backup the controller resolved through the URLs it signs, and leaves the record to the
     * controller ({@link #recordVerify}).
     */
    static VerifyOutcome verify(VerifyPlan plan, List<VersionCacheStore.Entry> cached, EngineLog log,
            ProcessStarter starter, SignedReads signed) throws IOException, InterruptedException {
        VerifyResult r = new VerifyEngine().run(VerifyRequestMapper.toRequest(plan, cached, File.pathSeparator,
                starter, signed == null ? null : signed.ticket(), signed == null ? null : signed.grant()), log);
        return VerifyRequestMapper.outcome(r);
    }

    /** From the controller, for Test connection: the server's version, as a cache entry. */
    public static VersionCacheStore.Entry detectServerVersion(ConnectionSpec spec) throws IOException {
        ServerVersion v = new ServerVersionDetector().detect(spec);
        return new VersionCacheStore.Entry(spec.serverKey(), v.version().versionNum(), v.versionText(),
                v.detectedAt().toEpochMilli());
    }

    /**
     * From the controller, for Test connection of a connection with includeGlobals: whether its role may read role
     * passwords (otherwise the globals are dumped with {@code --no-role-passwords}).
     */
    public static boolean readsRolePasswords(ConnectionSpec spec) throws IOException {
        return GlobalsDump.readsRolePasswords(spec);
    }

    /** From the controller, for Test connection: puts, heads and deletes a probe object. */
    public static Duration probeStorage(StorageSettings storage) throws IOException {
        try (S3Client s3 = S3Clients.create(storage)) {
            return new BackupCatalog(s3, storage).probe();
        }
    }

    /**
     * From the controller: posts one result to Discord through Jenkins' proxy settings (Manage Jenkins » Plugins »
     * Advanced), as every other outgoing HTTP request of Jenkins. The notifier never throws and reports failures in
     * the log.
     */
    static boolean notifyDiscord(String webhookUrl, Notification notification, EngineLog log) {
        return DiscordWebhookNotifier.builder(webhookUrl).httpClientBuilder(ProxyConfiguration.newHttpClientBuilder())
                .build().send(notification, log).delivered();
    }
}
