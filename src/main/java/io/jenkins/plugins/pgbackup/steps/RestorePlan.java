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
 */
public record RestorePlan(String target, ConnectionSpec connection, StorageSettings storage, String key,
        String latestOf, boolean clean, boolean createDatabase, boolean noOwner, boolean singleTransaction, int jobs,
        int timeoutMinutes, List<String> toolSearchRoots, String searchPath, int versionCacheHours, boolean notifyDiscord,
        String ageIdentity, boolean restoreGlobals) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RestorePlan {
        toolSearchRoots = List.copyOf(toolSearchRoots);
    }

    /** Everything but the identity, which a record's own toString would print. */
    @Override
    public String toString() {
        return "RestorePlan[target=" + target + ", storage=" + storage + ", key=" + key + ", latestOf=" + latestOf
                + ", clean=" + clean + ", createDatabase=" + createDatabase + ", jobs=" + jobs + ", ageIdentity="
                + (ageIdentity == null ? "none" : "****") + "]";
    }

    public List<String> secrets() {
        List<String> out = Secrets.of(connection.getPassword(), storage.getSecretKey());
        out.addAll(AgeMapping.identitySecrets(ageIdentity));
        return out;
    }
}
