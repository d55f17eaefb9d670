package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.ConfigValidation;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.config.Text;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import io.jenkins.plugins.pgbackup.restore.RestoreResult;
import io.jenkins.plugins.pgbackup.signing.RestoreGrant;
import io.jenkins.plugins.pgbackup.signing.RestoreTicket;
import java.util.List;

/**
 * From what the user configured to a {@link RestorePlan} on the controller, from the plan to the engine's
 * {@link RestoreRequest} on the agent, and back from the engine's {@link RestoreResult} to a {@link RestoreOutcome}.
 * Jenkins-free, so every rule is unit-tested. The safe
 * defaults stay off unless asked for: no {@code clean}, no {@code createDatabase}.
 */
public final class RestoreRequestMapper {

    private RestoreRequestMapper() {}

    /**
     * @param searchPath the build's {@code PATH}, or {@code null}
     * @throws AbortException for anything the user must fix, with what to do
     */
    public static RestorePlan map(RestoreOptions o, PluginSettings settings, CredentialLookup credentials,
            String searchPath) throws AbortException {
        if (o.getKey() != null && o.getLatest() != null) {
            throw new AbortException(Messages.Mapping_KeyAndLatest());
        }
        if (o.getKey() == null && o.getLatest() == null) {
            throw new AbortException(Messages.Mapping_KeyOrLatest());
        }
        if (o.getKey() != null) {
            CommonMapping.check("key", ConfigValidation.prefix(o.getKey()));
        } else {
            CommonMapping.check("latest", ConfigValidation.database(o.getLatest()));
        }
        int jobs = CommonMapping.jobs(o);
        if (jobs > 1 && o.isSingleTransaction()) {
            throw new AbortException(Messages.Mapping_SingleTransactionJobs(jobs));
        }
        int timeout = CommonMapping.timeoutMinutes(o, settings);
        CommonMapping.Database db = CommonMapping.database(o, settings, credentials);
        CommonMapping.Storage storage = CommonMapping.storage(o, settings, credentials);
        String identity = AgeMapping.identity(o, storage.configured(), storage.configured() == null
                ? "the inline storage" : Messages.Purpose_Storage(storage.configured().getName()), credentials);
        return new RestorePlan(db.label(), db.spec(), storage.resolved(), o.getKey(), o.getLatest(), o.isClean(),
                o.isCreateDatabase(), o.isNoOwner(), o.isSingleTransaction(), jobs, timeout,
                settings.getToolSearchRootList(), Text.trimToNull(searchPath), settings.getVersionCacheHours(),
                CommonMapping.notify(o, settings), identity,
                o.isRestoreGlobals(), storage.access() == StorageAccess.CONTROLLER_SIGNS);
    }

    /**
     * The engine's request, built on the agent: with the controller's cache entries for the server, and the clients
     * searched as for a backup ({@link CommonMapping#tools}).
     */
    public static RestoreRequest toRequest(RestorePlan plan, List<VersionCacheStore.Entry> cached,
            String pathSeparator) {
        return toRequest(plan, cached, pathSeparator, null);
    }

    /** As {@link #toRequest(RestorePlan, List, String)}, with the clients started by {@code starter}. */
    static RestoreRequest toRequest(RestorePlan plan, List<VersionCacheStore.Entry> cached, String pathSeparator,
            ProcessStarter starter) {
        return toRequest(plan, cached, pathSeparator, starter, null, null);
    }

    /**
     * As {@link #toRequest(RestorePlan, List, String, ProcessStarter)}; when the controller signs, reading the backup
     * it resolved ({@code ticket}) through presigned URLs from {@code grant}, with the agent's keyless plan.
     */
    public static RestoreRequest toRequest(RestorePlan plan, List<VersionCacheStore.Entry> cached,
            String pathSeparator, ProcessStarter starter, RestoreTicket ticket, RestoreGrant grant) {
        return RestoreRequest.builder(plan.connection(), plan.storage())
                .key(plan.key())
                .latestOf(plan.latestOf())
                .clean(plan.clean())
                .createDatabase(plan.createDatabase())
                .noOwner(plan.noOwner())
                .noAcl(plan.noOwner()) // the step's noOwner is documented as --no-owner --no-acl
                .singleTransaction(plan.singleTransaction())
                .restoreGlobals(plan.restoreGlobals())
                .jobs(plan.jobs())
                .tools(CommonMapping.tools(plan.timeoutMinutes(), null, plan.toolSearchRoots(), plan.searchPath(),
                        pathSeparator, cached, plan.versionCacheHours()))
                .starter(starter)
                .ageIdentities(plan.ageIdentity())
                .signed(ticket, grant)
                .build();
    }

    /** What the agent reports back: the engine's result in the shape the build action and the step's map use. */
    public static RestoreOutcome outcome(RestoreResult r) {
        return new RestoreOutcome(r.getBucket(), r.getKey(), r.getSourceDatabase(), r.getTargetDatabase(),
                r.getTargetServer(), r.getTargetVersion(), r.getPgDumpVersion(), r.getTool(), r.getToolPath(),
                r.getToolVersion(), r.getToolReason(), r.getArchiveVersion(), r.getBytes(), r.getDurationMillis(),
                VersionCacheStore.fromSnapshot(r.getVersions()), r.getGlobalsKey(), r.getRolesCreated(),
                r.getRolesKept());
    }
}
