package io.jenkins.plugins.pgbackup.dump;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.retention.RetentionPolicy;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything one backup needs. Built on the controller from the configuration and the step's arguments, then sent to
 * the agent that runs pg_dump, so it is serializable and holds the secrets it needs only in final fields.
 */
public final class BackupRequest implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_VERSION_CACHE_TTL = Duration.ofHours(24);

    private final ConnectionSpec connection;
    private final StorageSettings storage;
    private final DumpFormat format;
    private final Compression compression;
    private final int jobs;
    private final Duration timeout;
    private final PostgresVersion pinnedVersion;
    private final List<String> toolRoots;
    private final ToolLocations toolLocations;
    private final List<String> extraDumpOptions;
    private final String backupBy;
    private final RetentionPolicy retention;
    private final VersionCache.Snapshot cachedVersions;
    private final Duration versionCacheTtl;
    private final boolean includeGlobals;

    private BackupRequest(Builder b) {
        this.connection = Objects.requireNonNull(b.connection, "connection");
        this.storage = Objects.requireNonNull(b.storage, "storage");
        this.format = b.format;
        this.compression = b.compression;
        this.jobs = b.jobs;
        this.timeout = b.timeout;
        this.pinnedVersion = b.pinnedVersion;
        this.toolRoots = List.copyOf(b.toolRoots);
        this.toolLocations = b.toolLocations;
        this.extraDumpOptions = List.copyOf(b.extraDumpOptions);
        this.backupBy = b.backupBy;
        this.retention = b.retention;
        this.cachedVersions = b.cachedVersions;
        this.versionCacheTtl = b.versionCacheTtl;
        this.includeGlobals = b.includeGlobals;
    }

    public static Builder builder(ConnectionSpec connection, StorageSettings storage) {
        return new Builder(connection, storage);
    }

    public ConnectionSpec getConnection() {
        return connection;
    }

    public StorageSettings getStorage() {
        return storage;
    }

    /** The user's format, or {@code null} for the policy's default. */
    public DumpFormat getFormat() {
        return format;
    }

    /** The user's compression, or {@code null} for the policy's default. */
    public Compression getCompression() {
        return compression;
    }

    public int getJobs() {
        return jobs;
    }

    public Duration getTimeout() {
        return timeout;
    }

    /** The configured server version, or {@code null} to detect it. */
    public PostgresVersion getPinnedVersion() {
        return pinnedVersion;
    }

    public List<String> getToolRoots() {
        return toolRoots;
    }

    /**
     * Where to look for pg_dump: explicit locations, or the defaults of the machine that runs the backup (its well-known
     * directories and PATH) with {@link #getToolRoots()}, computed there.
     */
    public ToolLocations toolLocations() {
        return toolLocations != null ? toolLocations : ToolLocations.defaults(toolRoots);
    }

    public List<String> getExtraDumpOptions() {
        return extraDumpOptions;
    }

    public String getBackupBy() {
        return backupBy;
    }

    public RetentionPolicy getRetention() {
        return retention;
    }

    public VersionCache.Snapshot getCachedVersions() {
        return cachedVersions;
    }

    public Duration getVersionCacheTtl() {
        return versionCacheTtl;
    }

    /** Also store the cluster's globals ({@code pg_dumpall --globals-only}) next to the dump. */
    public boolean isIncludeGlobals() {
        return includeGlobals;
    }

    @Override
    public String toString() {
        return "backup of " + connection + " to " + storage.location();
    }

    /** Builds a request; only the connection and the storage are required. */
    public static final class Builder {
        private final ConnectionSpec connection;
        private final StorageSettings storage;
        private DumpFormat format;
        private Compression compression;
        private int jobs = 1;
        private Duration timeout = DEFAULT_TIMEOUT;
        private PostgresVersion pinnedVersion;
        private List<String> toolRoots = List.of();
        private ToolLocations toolLocations;
        private List<String> extraDumpOptions = List.of();
        private String backupBy = "jenkins";
        private RetentionPolicy retention = RetentionPolicy.none();
        private VersionCache.Snapshot cachedVersions = VersionCache.Snapshot.empty();
        private Duration versionCacheTtl = DEFAULT_VERSION_CACHE_TTL;
        private boolean includeGlobals;

        private Builder(ConnectionSpec connection, StorageSettings storage) {
            this.connection = connection;
            this.storage = storage;
        }

        public Builder format(DumpFormat value) {
            this.format = value;
            return this;
        }

        public Builder compression(Compression value) {
            this.compression = value;
            return this;
        }

        public Builder jobs(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("jobs must not be negative");
            }
            this.jobs = Math.max(1, value);
            return this;
        }

        public Builder timeout(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("the timeout must be positive");
            }
            this.timeout = value;
            return this;
        }

        public Builder pinnedVersion(PostgresVersion value) {
            this.pinnedVersion = value;
            return this;
        }

        public Builder toolRoots(List<String> value) {
            this.toolRoots = value == null ? List.of() : value;
            return this;
        }

        /** Explicit tool locations instead of the agent's defaults: for tests and special layouts. */
        public Builder toolLocations(ToolLocations value) {
            this.toolLocations = value;
            return this;
        }

        public Builder extraDumpOptions(List<String> value) {
            this.extraDumpOptions = value == null ? List.of() : value;
            return this;
        }

        public Builder backupBy(String value) {
            if (value != null && !value.isBlank()) {
                this.backupBy = value;
            }
            return this;
        }

        public Builder retention(RetentionPolicy value) {
            this.retention = value == null ? RetentionPolicy.none() : value;
            return this;
        }

        public Builder cachedVersions(VersionCache.Snapshot value, Duration ttl) {
            this.cachedVersions = value == null ? VersionCache.Snapshot.empty() : value;
            this.versionCacheTtl = ttl == null ? DEFAULT_VERSION_CACHE_TTL : ttl;
            return this;
        }

        /** Also store the cluster's roles and tablespaces, as {@code pg_dumpall --globals-only} writes them. */
        public Builder includeGlobals(boolean value) {
            this.includeGlobals = value;
            return this;
        }

        public BackupRequest build() {
            return new BackupRequest(this);
        }
    }
}
