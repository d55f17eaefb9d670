package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * What a restore did, as the agent reports it back.
 *
 * @param sourceDatabase the database the backup was taken from (its metadata)
 * @param database the database restored into
 * @param tool "pg_restore" or "psql"
 * @param toolReason why that tool (and version) was chosen, as the engine explains it
 * @param archiveVersion the archive format version of the dump ("1.16"); {@code null} for plain SQL
 * @param size bytes downloaded
 * @param detected the engine's version cache after the restore, to keep on the controller
 * @param globalsKey the globals applied first ({@code restoreGlobals}), or {@code null}
 * @param rolesCreated roles the globals created on the target server
 * @param rolesKept roles of the globals the target server already had, left as they were
 */
public record RestoreOutcome(String bucket, String key, String sourceDatabase, String database, String server,
        String serverVersion, String dumpPgDumpVersion, String tool, String toolPath, String toolVersion,
        String toolReason, String archiveVersion, long size, long durationMillis, List<VersionCacheStore.Entry> detected,
        String globalsKey, List<String> rolesCreated, List<String> rolesKept) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RestoreOutcome {
        detected = detected == null ? List.of() : List.copyOf(detected);
        rolesCreated = rolesCreated == null ? List.of() : List.copyOf(rolesCreated);
        rolesKept = rolesKept == null ? List.of() : List.copyOf(rolesKept);
    }
}
