package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.engine.ToolSetup;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.signing.RestoreGrant;
import io.jenkins.plugins.pgbackup.signing.RestoreTicket;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything one restore needs: which backup (a key, or the newest of a database), where to restore it and how.
 * Built on the controller, sent to the agent that runs pg_restore, so it is serializable with final fields.
 *
 * <p>The defaults are the safe ones: the target database must exist and be empty; nothing is dropped
 * ({@link Builder#clean}) or created ({@link Builder#createDatabase}) unless asked for.
 */
public final class RestoreRequest implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_TIMEOUT = ToolSetup.DEFAULT_TIMEOUT;
    public static final Duration DEFAULT_VERSION_CACHE_TTL = ToolSetup.DEFAULT_VERSION_CACHE_TTL;
    /** More parallel jobs than this is a typo, not a plan. */
    public static final int MAX_JOBS = 64;

    private final ConnectionSpec target;
    private final StorageSettings storage;
    private final String key;
    private final String latestOf;
    private final boolean clean;
    private final boolean createDatabase;
    private final int jobs;
    private final boolean noOwner;
    private final boolean noAcl;
    private final boolean singleTransaction;
    private final ToolSetup tools;
    private final String workDirectory;
    private final List<String> ageIdentities;
    private final boolean restoreGlobals;
    /** When the controller signs: the backup it resolved. */
    private final RestoreTicket ticket;
    /**
     * When the controller signs: how to get URLs for the ticket's objects. Transient: on an agent it is a remoting
     * proxy handed to the request where the request is built; it is never sent along with it.
     */
    private final transient RestoreGrant grant;

    private RestoreRequest(Builder b) {
        this.target = b.target;
        this.storage = b.storage;
        this.key = b.key;
        this.latestOf = b.latestOf;
        this.clean = b.clean;
        this.createDatabase = b.createDatabase;
        this.jobs = b.jobs;
        this.noOwner = b.noOwner;
        this.noAcl = b.noAcl;
        this.singleTransaction = b.singleTransaction;
        this.tools = b.tools;
        this.workDirectory = b.workDirectory;
        this.ageIdentities = List.copyOf(b.ageIdentities);
        this.restoreGlobals = b.restoreGlobals;
        this.ticket = b.ticket;
        this.grant = b.grant;
    }

    /** A request to restore into {@code target} (its database is the one restored into) from {@code storage}. */
    public static Builder builder(ConnectionSpec target, StorageSettings storage) {
        return new Builder(target, storage);
    }

    /**
     * A builder holding every option of this request, for another target: a restore drill restores the same backup,
     * the same way, into a scratch database.
     */
    public Builder copyFor(ConnectionSpec otherTarget) {
        Builder b = new Builder(otherTarget, storage);
        b.key = key;
        b.latestOf = latestOf;
        b.clean = clean;
        b.createDatabase = createDatabase;
        b.jobs = jobs;
        b.noOwner = noOwner;
        b.noAcl = noAcl;
        b.singleTransaction = singleTransaction;
        b.tools = tools;
        b.workDirectory = workDirectory;
        b.ageIdentities = ageIdentities;
        b.restoreGlobals = restoreGlobals;
        b.ticket = ticket;
        b.grant = grant;
        return b;
    }

    public ConnectionSpec getTarget() {
        return target;
    }

    public StorageSettings getStorage() {
        return storage;
    }

    /** The object key to restore, or {@code null} when the newest backup of {@link #getLatestOf()} is wanted. */
    public String getKey() {
        return key;
    }

    /** The database whose newest backup is wanted, or {@code null} when a {@link #getKey() key} is given. */
    public String getLatestOf() {
        return latestOf;
    }

    /** Drop the archive's objects before recreating them ({@code --clean --if-exists}); needed for a non-empty target. */
    public boolean isClean() {
        return clean;
    }

    /** Create the target database ({@code TEMPLATE template0}) when it does not exist. */
    public boolean isCreateDatabase() {
        return createDatabase;
    }

    /** pg_restore's parallel jobs; 1 streams the backup without a temporary file. */
    public int getJobs() {
        return jobs;
    }

    public boolean isNoOwner() {
        return noOwner;
    }

    public boolean isNoAcl() {
        return noAcl;
    }

    /** Restore in one transaction: all or nothing. */
    public boolean isSingleTransaction() {
        return singleTransaction;
    }

    /** Where and how pg_restore and psql run: timeout, pinned version, where they are looked for, the cache. */
    public ToolSetup getTools() {
        return tools;
    }

    /** The longest pg_restore (or psql) may run. */
    public Duration getTimeout() {
        return tools.getTimeout();
    }

    /** The target server's version as configured, or {@code null} to detect it. */
    public PostgresVersion getPinnedVersion() {
        return tools.getPinnedVersion();
    }

    public List<String> getToolRoots() {
        return tools.getToolRoots();
    }

    /** Where to look for pg_restore and psql; see {@link ToolSetup#toolLocations()}. */
    public ToolLocations toolLocations() {
        return tools.toolLocations();
    }

    public VersionCache.Snapshot getCachedVersions() {
        return tools.getCachedVersions();
    }

    public Duration getVersionCacheTtl() {
        return tools.getVersionCacheTtl();
    }

    /**
     * Where the restore keeps its temporary files (a downloaded archive for parallel jobs, an unpacked directory
     * dump), on the machine that runs it; {@code null} for the system's temporary directory.
     */
    public Path getWorkDirectory() {
        return workDirectory == null ? null : Path.of(workDirectory);
    }

    /**
     * The age identities (secret keys) that may decrypt an encrypted backup; empty when none was given. Secret: never
     * log them or put them in a message.
     */
    public List<String> getAgeIdentities() {
        return ageIdentities;
    }

    /**
     * Apply the cluster's globals stored with the backup (taken with {@code includeGlobals}) to the target server
     * first: roles it lacks are created, those it has are kept as they are.
     */
    public boolean isRestoreGlobals() {
        return restoreGlobals;
    }

    /**
     * The backup the controller resolved when it signs the reads (the storage settings then hold no keys), or
     * {@code null} when this machine reads with the keys.
     */
    public RestoreTicket getTicket() {
        return ticket;
    }

    /** Where presigned URLs for {@link #getTicket()} come from, or {@code null} when this machine has the keys. */
    public RestoreGrant getGrant() {
        return grant;
    }

    /** "the newest backup of app", "s3://bucket/key". */
    public String describeSource() {
        return key != null ? "s3://" + storage.getBucket() + "/" + key
                : "the newest backup of " + latestOf + " under " + storage.location();
    }

    @Override
    public String toString() {
        return "restore of " + describeSource() + " into " + target;
    }

    /** Collects a request; the target, the storage and a key or {@link #latestOf} are required. */
    public static final class Builder {
        private final ConnectionSpec target;
        private final StorageSettings storage;
        private String key;
        private String latestOf;
        private boolean clean;
        private boolean createDatabase;
        private int jobs = 1;
        private boolean noOwner;
        private boolean noAcl;
        private boolean singleTransaction;
        private ToolSetup tools = ToolSetup.defaults();
        private String workDirectory;
        private List<String> ageIdentities = List.of();
        private boolean restoreGlobals;
        private RestoreTicket ticket;
        private RestoreGrant grant;

        private Builder(ConnectionSpec target, StorageSettings storage) {
            this.target = Objects.requireNonNull(target, "target");
            this.storage = Objects.requireNonNull(storage, "storage");
        }

        /** Restore the backup at this object key. */
        public Builder key(String value) {
            this.key = value == null || value.isBlank() ? null : value.trim();
            return this;
        }

        /** Restore the newest backup of this database (its real name, as in the backup's metadata). */
        public Builder latestOf(String database) {
            // Not trimmed: a database name may begin or end with a blank.
            this.latestOf = database == null || database.isEmpty() ? null : database;
            return this;
        }

        public Builder clean(boolean value) {
            this.clean = value;
            return this;
        }

        public Builder createDatabase(boolean value) {
            this.createDatabase = value;
            return this;
        }

        /** Parallel jobs; 0 and 1 both mean one. */
        public Builder jobs(int value) {
            if (value < 0 || value > MAX_JOBS) {
                throw new IllegalArgumentException("jobs must be between 1 and " + MAX_JOBS + ", not " + value);
            }
            this.jobs = Math.max(1, value);
            return this;
        }

        /** Apply the globals stored with the backup to the target server before the backup. */
        public Builder restoreGlobals(boolean value) {
            this.restoreGlobals = value;
            return this;
        }

        /**
         * Read the backup the controller resolved through presigned URLs from {@code grant}, never with keys: the
         * storage settings must be {@link StorageSettings#withoutKeys() without keys}. {@code null} for both reads
         * with the keys.
         */
        public Builder signed(RestoreTicket ticket, RestoreGrant grant) {
            this.ticket = ticket;
            this.grant = grant;
            return this;
        }

        public Builder noOwner(boolean value) {
            this.noOwner = value;
            return this;
        }

        public Builder noAcl(boolean value) {
            this.noAcl = value;
            return this;
        }

        public Builder singleTransaction(boolean value) {
            this.singleTransaction = value;
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

        /** The target server's version, to skip detection; {@code null} detects it. */
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

        public Builder cachedVersions(VersionCache.Snapshot value, Duration ttl) {
            this.tools = tools.withCachedVersions(value, ttl);
            return this;
        }

        /**
         * Where temporary files go (a Jenkins agent's {@code workspace@tmp}, say); created if missing. A download
         * needs room for the whole backup there; a directory dump, for its unpacked files.
         */
        public Builder workDirectory(Path value) {
            this.workDirectory = value == null ? null : value.toString();
            return this;
        }

        /**
         * The identities for encrypted backups, as a secret text holds them (one {@code AGE-SECRET-KEY-1...} per line,
         * or an age-keygen key file); {@code null} or blank for none.
         *
         * @throws IllegalArgumentException when the text holds something else; the message never repeats it
         */
        public Builder ageIdentities(String secret) {
            this.ageIdentities = secret == null || secret.isBlank() ? List.of() : AgeKeys.parseIdentities(secret);
            return this;
        }

        /**
         * @throws IllegalArgumentException when neither or both of a key and {@link #latestOf} are given, or when
         *     parallel jobs are combined with a single transaction (pg_restore cannot do both)
         */
        public RestoreRequest build() {
            if ((key == null) == (latestOf == null)) {
                throw new IllegalArgumentException(key == null
                        ? "Say which backup to restore: an object key, or the database whose newest backup to restore"
                        : "Give either an object key or a database whose newest backup to restore, not both");
            }
            if ((ticket == null) != (grant == null)) {
                throw new IllegalArgumentException("A signed restore needs both the resolved backup and its grant");
            }
            if (ticket != null && !storage.isKeysElsewhere()) {
                throw new IllegalArgumentException("A restore whose reads the controller signs takes storage "
                        + "settings without keys");
            }
            if (singleTransaction && jobs > 1) {
                throw new IllegalArgumentException("A single transaction and " + jobs + " parallel jobs exclude each "
                        + "other (pg_restore runs parallel jobs in separate sessions); choose one");
            }
            return new RestoreRequest(this);
        }
    }
}
