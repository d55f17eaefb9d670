package io.jenkins.plugins.pgbackup.dump;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.engine.ToolSetup;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.retention.RetentionPolicy;
import io.jenkins.plugins.pgbackup.signing.BackupGrant;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
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

    public static final Duration DEFAULT_TIMEOUT = ToolSetup.DEFAULT_TIMEOUT;
    public static final Duration DEFAULT_VERSION_CACHE_TTL = ToolSetup.DEFAULT_VERSION_CACHE_TTL;

    private final ConnectionSpec connection;
    private final StorageSettings storage;
    private final DumpFormat format;
    private final Compression compression;
    private final int jobs;
    private final ToolSetup tools;
    private final List<String> extraDumpOptions;
    private final String backupBy;
    private final RetentionPolicy retention;
    private final List<String> ageRecipients;
    private final boolean includeGlobals;
    @SuppressFBWarnings(value = "SE_BAD_FIELD", justification = "A remoting proxy to the controller's grant, which "
            + "serializes; in one JVM the request is not serialized")
    private final BackupGrant grant;

    private BackupRequest(Builder b) {
        this.connection = Objects.requireNonNull(b.connection, "connection");
        this.storage = Objects.requireNonNull(b.storage, "storage");
        this.format = b.format;
        this.compression = b.compression;
        this.jobs = b.jobs;
        this.tools = b.tools;
        this.extraDumpOptions = List.copyOf(b.extraDumpOptions);
        this.backupBy = b.backupBy;
        this.retention = b.retention;
        this.ageRecipients = List.copyOf(b.ageRecipients);
        this.includeGlobals = b.includeGlobals;
        this.grant = b.grant;
        if (storage.isKeysElsewhere() != (grant != null)) {
            throw new IllegalArgumentException(grant == null
                    ? "Storage without keys needs the controller's grant to sign"
                    : "The controller signs: the agent's storage settings must not hold keys");
        }
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

    /** Where and how pg_dump runs: timeout, pinned version, where it is looked for, the version cache. */
    public ToolSetup getTools() {
        return tools;
    }

    public Duration getTimeout() {
        return tools.getTimeout();
    }

    /** The configured server version, or {@code null} to detect it. */
    public PostgresVersion getPinnedVersion() {
        return tools.getPinnedVersion();
    }

    public List<String> getToolRoots() {
        return tools.getToolRoots();
    }

    /** Where to look for pg_dump; see {@link ToolSetup#toolLocations()}. */
    public ToolLocations toolLocations() {
        return tools.toolLocations();
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
        return tools.getCachedVersions();
    }

    public Duration getVersionCacheTtl() {
        return tools.getVersionCacheTtl();
    }

    /** The age recipients (public keys) to encrypt for; empty: the backup is stored unencrypted. */
    public List<String> getAgeRecipients() {
        return ageRecipients;
    }

    /** Also store the cluster's globals ({@code pg_dumpall --globals-only}) next to the dump. */
    /**
     * The controller's grant when the controller keeps the storage keys and signs (then {@link #getStorage()} holds
     * none); {@code null} when this machine uses the keys itself.
     */
    public BackupGrant getGrant() {
        return grant;
    }

    /** Whether the controller signs: no S3 client here, and retention is left to the controller. */
    public boolean isControllerSigns() {
        return grant != null;
    }

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
        private ToolSetup tools = ToolSetup.defaults();
        private List<String> extraDumpOptions = List.of();
        private String backupBy = "jenkins";
        private RetentionPolicy retention = RetentionPolicy.none();
        private List<String> ageRecipients = List.of();
        private boolean includeGlobals;
        private BackupGrant grant;

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

        /** Timeout, pinned version, tool locations and version cache at once, as the steps build them. */
        public Builder tools(ToolSetup value) {
            this.tools = value == null ? ToolSetup.defaults() : value;
            return this;
        }

        public Builder timeout(Duration value) {
            this.tools = tools.withTimeout(value);
            return this;
        }

        public Builder pinnedVersion(PostgresVersion value) {
            this.tools = tools.withPinnedVersion(value);
            return this;
        }

        public Builder toolRoots(List<String> value) {
            this.tools = tools.withToolRoots(value);
            return this;
        }

        /** Explicit tool locations instead of the agent's defaults: for tests and special layouts. */
        public Builder toolLocations(ToolLocations value) {
            this.tools = tools.withToolLocations(value);
            return this;
        }

        /** How the clients start: {@code null} for this machine's processes; see {@link ToolSetup#withStarter}. */
        public Builder starter(ProcessStarter value) {
            this.tools = tools.withStarter(value);
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
            this.tools = tools.withCachedVersions(value, ttl);
            return this;
        }

        /**
         * Encrypts the backup with age for these recipients (public keys, {@code age1...}); empty or {@code null}
         * stores it unencrypted.
         *
         * @throws IllegalArgumentException naming an entry that is not a valid recipient
         */
        public Builder ageRecipients(List<String> value) {
            this.ageRecipients = value == null ? List.of()
                    : value.stream().map(AgeKeys::checkRecipient).distinct().toList();
            return this;
        }

        /** Also store the cluster's roles and tablespaces, as {@code pg_dumpall --globals-only} writes them. */
        public Builder includeGlobals(boolean value) {
            this.includeGlobals = value;
            return this;
        }

        /**
         * The controller keeps the keys: every storage request goes through {@code value} or to the URLs it signs.
         * The storage settings must then be {@link StorageSettings#withoutKeys()}.
         */
        public Builder grant(BackupGrant value) {
            this.grant = value;
            return this;
        }

        public BackupRequest build() {
            return new BackupRequest(this);
        }
    }
}
