package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * What a backup did, as the agent reports it back: for the step's return value, the build action and notifications.
 *
 * @param serverVersion the server's full version ("17.6")
 * @param postgresMajor the server's major as recorded in the {@code postgres-version} metadata ("17", "9.6")
 * @param pgDumpVersion the version of the pg_dump that ran ("17.6")
 * @param detected the engine's version cache after the backup, to keep on the controller
 * @param pruned keys deleted (or, in a dry run, that would have been) by retention
 * @param server the server key (host:port/database)
 * @param globalsKey the key of the cluster's globals stored with the backup, or {@code null}
 * @param recipients the fingerprints of the age recipients the backup is encrypted for; empty when it is not
 */
public record BackupOutcome(String database, String server, String bucket, String key, long size, String sha256,
        String serverVersion, String postgresMajor, String pgDumpVersion, String pgDumpPath, String format,
        String compression, long durationMillis, List<String> pruned, boolean retentionDryRun,
        List<VersionCacheStore.Entry> detected, String globalsKey, List<String> recipients)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public BackupOutcome {
        pruned = List.copyOf(pruned);
        detected = detected == null ? List.of() : List.copyOf(detected);
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }

    /** Whether the stored backup is an age file. */
    public boolean encrypted() {
        return !recipients.isEmpty();
    }
}
