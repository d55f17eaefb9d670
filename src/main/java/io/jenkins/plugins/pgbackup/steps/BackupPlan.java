package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * A backup with every option decided and every credential resolved on the controller: what crosses to the agent.
 * Built by {@link BackupRequestMapper}; its {@code toString()} holds no secret.
 *
 * @param source "connection 'prod'" or "db.example.com:5432/app", for messages
 * @param format {@code null} for the default (custom)
 * @param compression {@code null} to let the plugin choose for the pg_dump that runs
 * @param pinnedVersion {@code null} to detect the server's version
 * @param extraOptions more pg_dump arguments, already checked
 * @param toolSearchRoots administrator-configured directories to look for clients in
 * @param searchPath the build's {@code PATH} on the agent, searched last; {@code null} for the agent's own
 * @param backupBy who made the backup, for the {@code backup-by} metadata ("jenkins:folder/job#42")
 * @param ageRecipients age public keys to encrypt for; empty for an unencrypted backup
 * @param includeGlobals also store the cluster's globals (the step's or the connection's choice)
 * @param controllerSigns the controller keeps the storage keys and signs for the agent; the plan sent to the agent is
 *     then {@link #withoutKeys()}
 */
public record BackupPlan(String source, ConnectionSpec connection, StorageSettings storage, DumpFormat format,
        Compression compression, int jobs, int timeoutMinutes, PostgresVersion pinnedVersion,
        List<String> extraOptions, List<String> toolSearchRoots, String searchPath, RetentionRules retention,
        int versionCacheHours, boolean notifyDiscord, String backupBy, List<String> ageRecipients,
        boolean includeGlobals, boolean controllerSigns) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public BackupPlan {
        extraOptions = List.copyOf(extraOptions);
        toolSearchRoots = List.copyOf(toolSearchRoots);
        ageRecipients = ageRecipients == null ? List.of() : List.copyOf(ageRecipients);
    }

    /**
     * The same plan with storage settings that hold no keys, for the agent when the controller signs: its
     * {@link #secrets()} then no longer name the secret key either, since that list goes to the agent for masking.
     */
    public BackupPlan withoutKeys() {
        return new BackupPlan(source, connection, storage.withoutKeys(), format, compression, jobs, timeoutMinutes,
                pinnedVersion, extraOptions, toolSearchRoots, searchPath, retention, versionCacheHours, notifyDiscord,
                backupBy, ageRecipients, includeGlobals, controllerSigns);
    }

    /** What the build log must never show. */
    public List<String> secrets() {
        return Secrets.of(connection.getPassword(), storage.getSecretKey());
    }
}
