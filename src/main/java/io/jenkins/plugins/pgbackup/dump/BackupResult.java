package io.jenkins.plugins.pgbackup.dump;

import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.retention.PruneResult;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a successful backup produced, for the step's return value, the build action and the notification. */
public final class BackupResult implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String database;
    private final String bucket;
    private final String key;
    private final long size;
    private final String sha256;
    private final String postgresVersion;
    private final String serverVersion;
    private final String pgDumpVersion;
    private final String pgDumpPath;
    private final String format;
    private final String compression;
    private final long durationMillis;
    private final PruneResult pruned;
    private final String pruneFailure;
    private final VersionCache.Snapshot versions;
    private StoredGlobals globals;
    /** The dump's upload, for retention run elsewhere; {@code null} in results made before it was kept. */
    private UploadResult upload;
    /** The controller signs: retention did not run here and is the caller's to run ({@link BackupRetention}). */
    private boolean retentionLeftToCaller;

    @SuppressWarnings("checkstyle:ParameterNumber")
    BackupResult(String database, String bucket, String key, long size, String sha256, String postgresVersion,
            String serverVersion, String pgDumpVersion, String pgDumpPath, String format, String compression,
            long durationMillis, PruneResult pruned, String pruneFailure, VersionCache.Snapshot versions) {
        this.database = database;
        this.bucket = bucket;
        this.key = key;
        this.size = size;
        this.sha256 = sha256;
        this.postgresVersion = postgresVersion;
        this.serverVersion = serverVersion;
        this.pgDumpVersion = pgDumpVersion;
        this.pgDumpPath = pgDumpPath;
        this.format = format;
        this.compression = compression;
        this.durationMillis = durationMillis;
        this.pruned = pruned;
        this.pruneFailure = pruneFailure;
        this.versions = versions;
    }

    public String getDatabase() {
        return database;
    }

    public String getBucket() {
        return bucket;
    }

    public String getKey() {
        return key;
    }

    public long getSize() {
        return size;
    }

    public String getSha256() {
        return sha256;
    }

    /** The server's major version ("17", "9.6"), or "unknown" when it could not be detected. */
    public String getPostgresVersion() {
        return postgresVersion;
    }

    /** The server's full version ("17.6"), or "unknown". */
    public String getServerVersion() {
        return serverVersion;
    }

    public String getPgDumpVersion() {
        return pgDumpVersion;
    }

    public String getPgDumpPath() {
        return pgDumpPath;
    }

    public String getFormat() {
        return format;
    }

    public String getCompression() {
        return compression;
    }

    public long getDurationMillis() {
        return durationMillis;
    }

    /**
     * What retention did, or {@code null} when it could not run. Without keep rules it only cleaned up leftovers of
     * unfinished backups: nothing kept, selected or pruned.
     */
    public PruneResult getPruned() {
        return pruned;
    }

    /** Why retention could not run, or {@code null}; the backup itself succeeded either way. */
    public String getPruneFailure() {
        return pruneFailure;
    }

    /** The version cache after this backup, for the controller to keep. */
    public VersionCache.Snapshot getVersions() {
        return versions;
    }

    /** Adds the globals stored with the backup ({@code includeGlobals}); {@code null} for none. */
    BackupResult withGlobals(StoredGlobals stored) {
        this.globals = stored;
        return this;
    }

    /** Keeps the dump's upload, and whether retention is left to the caller, for {@link BackupRetention}. */
    BackupResult withUpload(UploadResult stored, boolean leftToCaller) {
        this.upload = stored;
        this.retentionLeftToCaller = leftToCaller;
        return this;
    }

    /** The dump's upload as the uploader confirmed it. */
    public UploadResult getUpload() {
        return upload;
    }

    /**
     * Whether retention (keep rules and leftovers) did not run where the backup ran and is the caller's to run with
     * {@link BackupRetention#apply}: the controller keeps the storage keys, and the agent cannot list or delete.
     */
    public boolean isRetentionLeftToCaller() {
        return retentionLeftToCaller;
    }

    /** This result with what retention did (or why it could not run), retention no longer pending. */
    BackupResult withRetention(PruneResult result, String failure) {
        BackupResult r = new BackupResult(database, bucket, key, size, sha256, postgresVersion, serverVersion,
                pgDumpVersion, pgDumpPath, format, compression, durationMillis, result, failure, versions);
        r.globals = globals;
        r.upload = upload;
        return r;
    }

    /** The cluster's globals stored next to the backup, or {@code null} when it was taken without them. */
    public StoredGlobals getGlobals() {
        return globals;
    }

    /** The keys retention deleted (none in a dry run). */
    public List<String> prunedKeys() {
        return pruned == null ? List.of() : pruned.getPruned();
    }

    /** The step's return value: plain types only, so Pipeline scripts can use it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("database", database);
        m.put("key", key);
        m.put("bucket", bucket);
        m.put("size", size);
        m.put("sha256", sha256);
        m.put("postgresVersion", postgresVersion);
        m.put("serverVersion", serverVersion);
        m.put("pgDumpVersion", pgDumpVersion);
        m.put("format", format);
        m.put("compression", compression);
        m.put("durationMillis", durationMillis);
        m.put("pruned", List.copyOf(prunedKeys()));
        m.put("globalsKey", globals == null ? null : globals.key());
        return m;
    }

    @Override
    public String toString() {
        return "backup of " + database + " to s3://" + bucket + "/" + key + " (" + size + " bytes, " + format + ", "
                + compression + ")";
    }
}
