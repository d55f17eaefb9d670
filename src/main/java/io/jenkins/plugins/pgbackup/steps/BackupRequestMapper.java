package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.ConfigValidation;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.ExtraOptions;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.RetentionSettings;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.config.Text;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.retention.PruneResult;
import io.jenkins.plugins.pgbackup.signing.BackupGrant;
import java.util.List;

/**
 * From what the user configured (step options over the global configuration) to a {@link BackupPlan} on the
 * controller, and from the plan to the engine's {@link BackupRequest} on the agent; back from the engine's
 * {@link BackupResult} to a {@link BackupOutcome}. Step values win over a connection's or target's, which win over
 * the global defaults. Jenkins-free, so every rule is unit-tested.
 */
public final class BackupRequestMapper {

    private BackupRequestMapper() {}

    /**
     * @param searchPath the build's {@code PATH}, or {@code null}
     * @param backupBy who makes the backup, for the object's metadata
     * @throws AbortException for anything the user must fix, with what to do
     */
    public static BackupPlan map(BackupOptions o, PluginSettings settings, CredentialLookup credentials,
            String searchPath, String backupBy) throws AbortException {
        checkRetention(o);
        DumpFormat format = format(o, settings);
        Compression compression = compression(o, settings);
        int jobs = CommonMapping.jobs(o);
        if (jobs > 1 && (format == null || !format.supportsJobs())) {
            throw new AbortException(Messages.Mapping_JobsNeedDirectory(jobs,
                    (format == null ? DumpFormat.CUSTOM : format).id()));
        }
        int timeout = CommonMapping.timeoutMinutes(o, settings);
        CommonMapping.Database db = CommonMapping.database(o, settings, credentials);
        CommonMapping.Storage storage = CommonMapping.storage(o, settings, credentials);
        RetentionSettings targetRetention = storage.configured() == null ? null : storage.configured().getRetention();
        RetentionRules retention = RetentionRules.merge(settings.getRetention(), targetRetention,
                RetentionRules.fromStep(o));
        List<String> recipients = AgeMapping.recipients(o, storage.configured(),
                storage.configured() == null ? "the inline storage" : Messages.Purpose_Storage(storage.configured()
                        .getName()), credentials);
        return new BackupPlan(db.label(), db.spec(), storage.resolved(), format, compression, jobs, timeout,
                pinnedVersion(o, db.configured()), extraOptions(db.configured()), settings.getToolSearchRootList(),
                Text.trimToNull(searchPath), retention, settings.getVersionCacheHours(),
                CommonMapping.notify(o, settings), backupBy, recipients,
                includeGlobals(o, db.configured()), storage.access() == StorageAccess.CONTROLLER_SIGNS);
    }

    /**
     * The engine's request, built on the agent: with the controller's cache entries for the server, and the clients
     * searched in the well-known directories, the configured roots, then the build's {@code PATH} split with that
     * machine's separator.
     */
    public static BackupRequest toRequest(BackupPlan plan, List<VersionCacheStore.Entry> cached,
            String pathSeparator) {
        return toRequest(plan, cached, pathSeparator, null);
    }

    /** As {@link #toRequest(BackupPlan, List, String)}, with the clients started by {@code starter} (a container's). */
    static BackupRequest toRequest(BackupPlan plan, List<VersionCacheStore.Entry> cached, String pathSeparator,
            ProcessStarter starter) {
        return toRequest(plan, cached, pathSeparator, starter, null);
    }

    /**
     * As {@link #toRequest(BackupPlan, List, String, ProcessStarter)}; with {@code grant}, the controller's reference
     * for a plan {@link BackupPlan#withoutKeys() without keys}, the controller signs.
     */
    static BackupRequest toRequest(BackupPlan plan, List<VersionCacheStore.Entry> cached, String pathSeparator,
            ProcessStarter starter, BackupGrant grant) {
        return BackupRequest.builder(plan.connection(), plan.storage())
                .grant(grant)
                .format(plan.format())
                .compression(plan.compression())
                .jobs(plan.jobs())
                .tools(CommonMapping.tools(plan.timeoutMinutes(), plan.pinnedVersion(), plan.toolSearchRoots(),
                        plan.searchPath(), pathSeparator, cached, plan.versionCacheHours()))
                .starter(starter)
                .extraDumpOptions(plan.extraOptions())
                .backupBy(plan.backupBy())
                .ageRecipients(plan.ageRecipients())
                .retention(plan.retention().toPolicy())
                .includeGlobals(plan.includeGlobals())
                .build();
    }

    /** The step's {@code includeGlobals: true}, or the connection's default: either turns it on. */
    static boolean includeGlobals(BackupOptions o, DatabaseConnection configured) {
        return o.isIncludeGlobals() || configured != null && configured.isIncludeGlobals();
    }

    /** What the agent reports back: the engine's result in the shape the build action and the step's map use. */
    public static BackupOutcome outcome(BackupResult r, BackupPlan plan) {
        PruneResult pruned = r.getPruned();
        boolean dryRun = pruned != null && pruned.isDryRun();
        List<String> keys = pruned == null ? List.of() : dryRun ? pruned.getSelected() : pruned.getPruned();
        return new BackupOutcome(r.getDatabase(), plan.connection().serverKey(), r.getBucket(), r.getKey(),
                r.getSize(), r.getSha256(), r.getServerVersion(), r.getPostgresVersion(), r.getPgDumpVersion(),
                r.getPgDumpPath(), r.getFormat(), r.getCompression(), r.getDurationMillis(), keys, dryRun,
                VersionCacheStore.fromSnapshot(r.getVersions()), r.getGlobals() == null ? null : r.getGlobals().key(),
                AgeKeys.fingerprints(plan.ageRecipients()));
    }

    /** The step's format, else the global default; {@code null} means custom. */
    static DumpFormat format(BackupOptions o, PluginSettings settings) throws AbortException {
        String f = o.getFormat() != null ? o.getFormat() : settings.getFormat();
        if (f == null) {
            return null;
        }
        CommonMapping.check("format", ConfigValidation.format(f));
        return DumpFormat.fromId(f);
    }

    /** The step's compression, else the global default; {@code null} (or "auto") lets the plugin choose. */
    static Compression compression(BackupOptions o, PluginSettings settings) throws AbortException {
        String c = o.getCompression() != null ? o.getCompression() : settings.getCompression();
        CommonMapping.check("compression", ConfigValidation.compression(c, null));
        return Compression.parse(c);
    }

    /** The step's pin, else the connection's; "latest" (or nothing) detects. */
    static PostgresVersion pinnedVersion(BackupOptions o, DatabaseConnection configured) throws AbortException {
        String v = o.getPostgresVersion() != null
                ? o.getPostgresVersion()
                : configured == null ? null : configured.getPostgresVersion();
        if (v == null || v.equalsIgnoreCase("latest")) {
            return null;
        }
        CommonMapping.check("postgresVersion", ConfigValidation.postgresVersion(v));
        return PostgresVersion.parse(v);
    }

    static List<String> extraOptions(DatabaseConnection configured) throws AbortException {
        if (configured == null) {
            return List.of();
        }
        try {
            return ExtraOptions.parse(configured.getExtraOptions());
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.Mapping_Invalid(
                    Messages.Purpose_Connection(configured.getName()), e.getMessage()));
        }
    }

    private static void checkRetention(BackupOptions o) throws AbortException {
        CommonMapping.check("keepLast", ConfigValidation.retentionCount(o.getKeepLast()));
        CommonMapping.check("keepDays", ConfigValidation.retentionCount(o.getKeepDays()));
        CommonMapping.check("keepDaily", ConfigValidation.retentionCount(o.getKeepDaily()));
        CommonMapping.check("keepWeekly", ConfigValidation.retentionCount(o.getKeepWeekly()));
        CommonMapping.check("keepMonthly", ConfigValidation.retentionCount(o.getKeepMonthly()));
        CommonMapping.check("minKept", ConfigValidation.minKept(o.getMinKept()));
    }
}
