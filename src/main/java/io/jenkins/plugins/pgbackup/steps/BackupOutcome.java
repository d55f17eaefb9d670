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
 * @param detected the detection made for this backup, to keep in the controller's cache; {@code null} when the version
 *     came from the cache or was pinned
 * @param pruned keys deleted (or, in a dry run, that would have been) by retention
 */
public record BackupOutcome(String database, String server, String bucket, String key, long size, String sha256,
        String serverVersion, String postgresMajor, String pgDumpVersion, String pgDumpPath, String format,
        String compression, long durationMillis, List<String> pruned, boolean retentionDryRun,
        VersionCacheStore.Entry detected) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public BackupOutcome {
        pruned = List.copyOf(pruned);
    }
}
