package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.detection.VersionCache;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a successful restore did, for the step's return value, the build log and the notification. */
public final class RestoreResult implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String bucket;
    private final String sourceDatabase;
    private final String backupTimestamp;
    private final String targetDatabase;
    private final String targetServer;
    private final String targetVersion;
    private final String targetVersionSource;
    private final boolean databaseCreated;
    private final boolean cleaned;
    private final String archiveFormat;
    private final String archiveVersion;
    private final String compression;
    private final String pgDumpVersion;
    private final String sourceServerVersion;
    private final String tool;
    private final String toolVersion;
    private final String toolPath;
    private final String toolReason;
    private final boolean transactionTimeoutFiltered;
    private final int filteredStatements;
    private final int jobs;
    private final boolean singleTransaction;
    private final String transfer;
    private final long bytes;
    private final long durationMillis;
    private final VersionCache.Snapshot versions;
    private final String globalsKey;
    private final List<String> rolesCreated;
    private final List<String> rolesKept;

    private RestoreResult(Builder b) {
        this.key = b.key;
        this.bucket = b.bucket;
        this.sourceDatabase = b.sourceDatabase;
        this.backupTimestamp = b.backupTimestamp;
        this.targetDatabase = b.targetDatabase;
        this.targetServer = b.targetServer;
        this.targetVersion = b.targetVersion;
        this.targetVersionSource = b.targetVersionSource;
        this.databaseCreated = b.databaseCreated;
        this.cleaned = b.cleaned;
        this.archiveFormat = b.archiveFormat;
        this.archiveVersion = b.archiveVersion;
        this.compression = b.compression;
        this.pgDumpVersion = b.pgDumpVersion;
        this.sourceServerVersion = b.sourceServerVersion;
        this.tool = b.tool;
        this.toolVersion = b.toolVersion;
        this.toolPath = b.toolPath;
        this.toolReason = b.toolReason;
        this.transactionTimeoutFiltered = b.transactionTimeoutFiltered;
        this.filteredStatements = b.filteredStatements;
        this.jobs = b.jobs;
        this.singleTransaction = b.singleTransaction;
        this.transfer = b.transfer;
        this.bytes = b.bytes;
        this.durationMillis = b.durationMillis;
        this.versions = b.versions;
        this.globalsKey = b.globalsKey;
        this.rolesCreated = List.copyOf(b.rolesCreated);
        this.rolesKept = List.copyOf(b.rolesKept);
    }

    static Builder builder() {
        return new Builder();
    }

    public String getKey() {
        return key;
    }

    public String getBucket() {
        return bucket;
    }

    /** The database the backup was taken of, as its metadata records it. */
    public String getSourceDatabase() {
        return sourceDatabase;
    }

    /** When the backup was taken, UTC, {@code 20251117_150405}. */
    public String getBackupTimestamp() {
        return backupTimestamp;
    }

    public String getTargetDatabase() {
        return targetDatabase;
    }

    /** {@code host:port}. */
    public String getTargetServer() {
        return targetServer;
    }

    /** The target server's version ("17.6"), or "unknown" when it could not be detected. */
    public String getTargetVersion() {
        return targetVersion;
    }

    /** How the target's version was known: "pinned", "cached", "detected" or "unknown". */
    public String getTargetVersionSource() {
        return targetVersionSource;
    }

    /** Whether this restore created the target database. */
    public boolean isDatabaseCreated() {
        return databaseCreated;
    }

    /** Whether the archive's objects were dropped first ({@code --clean --if-exists}). */
    public boolean isCleaned() {
        return cleaned;
    }

    /** "custom", "directory", "tar" or "plain". */
    public String getArchiveFormat() {
        return archiveFormat;
    }

    /** The archive format version ("1.16"); {@code null} for a plain SQL script, which has none. */
    public String getArchiveVersion() {
        return archiveVersion;
    }

    /** "zstd", "gzip", "lz4" or "none". */
    public String getCompression() {
        return compression;
    }

    /** The version of the pg_dump that wrote the backup ("17.6"), or "unknown". */
    public String getPgDumpVersion() {
        return pgDumpVersion;
    }

    /** The version of the server the backup was taken from, or "unknown". */
    public String getSourceServerVersion() {
        return sourceServerVersion;
    }

    /** What ran: "pg_restore", "psql", or "pg_restore | psql" when a statement had to be filtered out. */
    public String getTool() {
        return tool;
    }

    /** The chosen client's version ("17.6"). */
    public String getToolVersion() {
        return toolVersion;
    }

    /** The program that read the backup (pg_restore, or psql for plain scripts). */
    public String getToolPath() {
        return toolPath;
    }

    /** Why that client: the tool choice's explanation. */
    public String getToolReason() {
        return toolReason;
    }

    /**
     * Whether {@code SET transaction_timeout = 0;} was filtered out because a client 17 or newer restored into an
     * older server.
     */
    public boolean isTransactionTimeoutFiltered() {
        return transactionTimeoutFiltered;
    }

    /** How many such statements the filter dropped. */
    public int getFilteredStatements() {
        return filteredStatements;
    }

    /** The parallel jobs pg_restore used. */
    public int getJobs() {
        return jobs;
    }

    public boolean isSingleTransaction() {
        return singleTransaction;
    }

    /** How the backup reached the tool: "streamed after a verification pass" or "downloaded and verified". */
    public String getTransfer() {
        return transfer;
    }

    /** The backup's size in bytes, as stored. */
    public long getBytes() {
        return bytes;
    }

    public long getDurationMillis() {
        return durationMillis;
    }

    /** The version cache after this restore, for the controller to keep. */
    public VersionCache.Snapshot getVersions() {
        return versions;
    }

    /** The key of the globals applied before the backup ({@code restoreGlobals}), or {@code null}. */
    public String getGlobalsKey() {
        return globalsKey;
    }

    /** The roles the globals created on the target server. */
    public List<String> getRolesCreated() {
        return rolesCreated;
    }

    /** The roles of the globals the target server already had: left as they were. */
    public List<String> getRolesKept() {
        return rolesKept;
    }

    /** The step's return value: plain types only, so Pipeline scripts can use it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("bucket", bucket);
        m.put("sourceDatabase", sourceDatabase);
        m.put("backupTimestamp", backupTimestamp);
        m.put("targetDatabase", targetDatabase);
        m.put("targetServer", targetServer);
        m.put("targetVersion", targetVersion);
        m.put("targetVersionSource", targetVersionSource);
        m.put("databaseCreated", databaseCreated);
        m.put("cleaned", cleaned);
        m.put("archiveFormat", archiveFormat);
        m.put("archiveVersion", archiveVersion);
        m.put("compression", compression);
        m.put("pgDumpVersion", pgDumpVersion);
        m.put("sourceServerVersion", sourceServerVersion);
        m.put("tool", tool);
        m.put("toolVersion", toolVersion);
        m.put("toolPath", toolPath);
        m.put("toolReason", toolReason);
        m.put("transactionTimeoutFiltered", transactionTimeoutFiltered);
        m.put("filteredStatements", filteredStatements);
        m.put("jobs", jobs);
        m.put("singleTransaction", singleTransaction);
        m.put("transfer", transfer);
        m.put("bytes", bytes);
        m.put("durationMillis", durationMillis);
        return m;
    }

    @Override
    public String toString() {
        return "restore of s3://" + bucket + "/" + key + " into " + targetDatabase + " on " + targetServer + " with "
                + tool + " " + toolVersion + " (" + bytes + " bytes, " + durationMillis + " ms)";
    }

    /** Filled in by the engine as the restore proceeds. */
    static final class Builder {
        private String key;
        private String bucket;
        private String sourceDatabase;
        private String backupTimestamp;
        private String targetDatabase;
        private String targetServer;
        private String targetVersion = "unknown";
        private String targetVersionSource = "unknown";
        private boolean databaseCreated;
        private boolean cleaned;
        private String archiveFormat;
        private String archiveVersion;
        private String compression;
        private String pgDumpVersion = "unknown";
        private String sourceServerVersion = "unknown";
        private String tool;
        private String toolVersion;
        private String toolPath;
        private String toolReason;
        private boolean transactionTimeoutFiltered;
        private int filteredStatements;
        private int jobs = 1;
        private boolean singleTransaction;
        private String transfer;
        private long bytes;
        private long durationMillis;
        private VersionCache.Snapshot versions = VersionCache.Snapshot.empty();
        private String globalsKey;
        private List<String> rolesCreated = List.of();
        private List<String> rolesKept = List.of();

        private Builder() {}

        Builder globals(String key, List<String> created, List<String> kept) {
            this.globalsKey = key;
            this.rolesCreated = created;
            this.rolesKept = kept;
            return this;
        }

        Builder backup(String objectKey, String objectBucket, String database, String timestamp, long size) {
            this.key = objectKey;
            this.bucket = objectBucket;
            this.sourceDatabase = database;
            this.backupTimestamp = timestamp;
            this.bytes = size;
            return this;
        }

        Builder target(String database, String server, String version, String versionSource) {
            this.targetDatabase = database;
            this.targetServer = server;
            this.targetVersion = version;
            this.targetVersionSource = versionSource;
            return this;
        }

        Builder dump(String format, String archive, String compressionId, String pgDump, String sourceServer) {
            this.archiveFormat = format;
            this.archiveVersion = archive;
            this.compression = compressionId;
            this.pgDumpVersion = pgDump;
            this.sourceServerVersion = sourceServer;
            return this;
        }

        Builder tool(String name, String version, String path, String reason) {
            this.tool = name;
            this.toolVersion = version;
            this.toolPath = path;
            this.toolReason = reason;
            return this;
        }

        Builder options(boolean created, boolean clean, int parallelJobs, boolean oneTransaction) {
            this.databaseCreated = created;
            this.cleaned = clean;
            this.jobs = parallelJobs;
            this.singleTransaction = oneTransaction;
            return this;
        }

        Builder filter(boolean used, int dropped) {
            this.transactionTimeoutFiltered = used;
            this.filteredStatements = dropped;
            return this;
        }

        Builder transfer(String how) {
            this.transfer = how;
            return this;
        }

        Builder finished(long millis, VersionCache.Snapshot snapshot) {
            this.durationMillis = millis;
            this.versions = snapshot;
            return this;
        }

        RestoreResult build() {
            return new RestoreResult(this);
        }
    }
}
