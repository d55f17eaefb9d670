package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.ConfigValidation;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.Text;

/**
 * From what the user configured to a {@link RestorePlan}. Jenkins-free, so every rule is unit-tested. The safe
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
        return new RestorePlan(db.label(), db.spec(), storage.resolved(), o.getKey(), o.getLatest(), o.isClean(),
                o.isCreateDatabase(), o.isNoOwner(), o.isSingleTransaction(), jobs, timeout,
                settings.getToolSearchRootList(), Text.trimToNull(searchPath), settings.getVersionCacheHours(),
                CommonMapping.notify(o, settings));
    }
}
