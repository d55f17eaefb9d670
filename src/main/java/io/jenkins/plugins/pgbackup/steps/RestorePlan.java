package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * A restore with every option decided and every credential resolved on the controller. Built by
 * {@link RestoreRequestMapper}; its {@code toString()} holds no secret.
 *
 * @param target "connection 'staging'" or "db.example.com:5432/app", for messages
 * @param key the object to restore, or {@code null} with {@code latestOf}
 * @param latestOf restore the newest backup of this database, or {@code null} with {@code key}
 * @param ageIdentity the secret text with the age identity for encrypted backups, or {@code null}; secret
 * @param restoreGlobals apply the globals stored with the backup to the target server first
 * @param controllerSigns the keys stay on the controller, which resolves the backup and signs its reads; the agent
 *     gets {@link #forAgent()}
 */
public record RestorePlan(String target, ConnectionSpec connection, StorageSettings storage, String key,
        String latestOf, boolean clean, boolean createDatabase, boolean noOwner, boolean singleTransaction, int jobs,
        int timeoutMinutes, List<String> toolSearchRoots, String searchPath, int versionCacheHours, boolean notifyDiscord,
        String ageIdentity, boolean restoreGlobals, boolean controllerSigns) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RestorePlan {
        toolSearchRoots = List.copyOf(toolSearchRoots);
    }

    /** Everything but the identity, which a record's own toString would print. */
    @Override
    public String toString() {
        return "RestorePlan[target=" + target + ", storage=" + storage + ", key=" + key + ", latestOf=" + latestOf
                + ", controllerSigns=" + controllerSigns + ", clean=" + clean + ", createDatabase=" + createDatabase + ", jobs=" + jobs + ", ageIdentity="
                + (ageIdentity == null ? "none" : "****") + "]";
    }

    /**
     * What the agent is sent: this plan, but without the storage keys when the controller signs (then neither the
     * settings nor {@link #secrets()} hold them).
     */
    public RestorePlan forAgent() {
        if (!controllerSigns) {
            return this;
        }
        return new RestorePlan(target, connection, storage.withoutKeys(), key, latestOf, clean, createDatabase,
                noOwner, singleTransaction, jobs, timeoutMinutes, toolSearchRoots, searchPath, versionCacheHours,
                notifyDiscord, ageIdentity, restoreGlobals, true);
    }

    /** For masking; the controller's plan has the storage's secret key, the agent's copy when it signs does not. */
    public List<String> secrets() {
        List<String> out = Secrets.of(connection.getPassword(), storage.getSecretKey());
        out.addAll(AgeMapping.identitySecrets(ageIdentity));
        return out;
    }
}
