package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.ChecksumMode;
import io.jenkins.plugins.pgbackup.config.ConfigValidation;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.FieldCheck;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.config.StorageProvider;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.db.SslMode;
import io.jenkins.plugins.pgbackup.engine.ToolSetup;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What backups and restores resolve alike: the database (a configured connection or inline fields) and the storage
 * (a configured target or inline fields), with their credentials. Every user error is an {@link AbortException} that
 * says what to change.
 */
public final class CommonMapping {

    private CommonMapping() {}

    /** The database and where it came from. */
    public record Database(String label, ConnectionSpec spec, DatabaseConnection configured) {}

    /**
     * The storage, the configured target it came from ({@code null} for inline storage) and who uses its keys: with
     * {@link StorageAccess#CONTROLLER_SIGNS} {@code resolved} holds keys that must stay on the controller.
     */
    public record Storage(StorageSettings resolved, StorageTarget configured, StorageAccess access) {}

    public static Database database(CommonOptions o, PluginSettings settings, CredentialLookup credentials)
            throws AbortException {
        if (o.getConnection() != null) {
            if (o.hasInlineDatabase()) {
                throw new AbortException(Messages.Mapping_DatabaseBoth(o.getConnection()));
            }
            DatabaseConnection c = settings.findConnection(o.getConnection());
            if (c == null) {
                throw new AbortException(Messages.Mapping_UnknownConnection(o.getConnection(),
                        names(settings.getConnectionNames())));
            }
            configured(c.validate(), Messages.Purpose_Connection(c.getName()));
            String purpose = Messages.Purpose_Connection(c.getName());
            return new Database(purpose, connect(c, purpose, credentials), c);
        }
        if (!o.hasInlineDatabase()) {
            throw new AbortException(Messages.Mapping_DatabaseMissing());
        }
        requireInline(o.getHost(), "host", true);
        requireInline(o.getDatabase(), "database", true);
        requireInline(o.getCredentialsId(), "credentialsId", true);
        DatabaseConnection inline = new DatabaseConnection("inline", o.getHost(), o.getDatabase(),
                o.getCredentialsId());
        inline.setPort(o.getPort() == null ? ConnectionSpec.DEFAULT_PORT : o.getPort());
        check("host", ConfigValidation.host(inline.getHost()));
        check("port", ConfigValidation.port(inline.getPort()));
        check("database", ConfigValidation.database(inline.getDatabase()));
        String purpose = Messages.Purpose_InlineDatabase(inline.serverKey());
        return new Database(purpose, connect(inline, purpose, credentials), null);
    }

    /** The connection's password is looked up with the build's rights, never stored. */
    public static ConnectionSpec connect(DatabaseConnection c, String purpose, CredentialLookup credentials)
            throws AbortException {
        CredentialLookup.UsernamePassword up = credentials.usernamePassword(c.getCredentialsId(), purpose);
        try {
            return new ConnectionSpec(c.getHost(), c.getPort(), c.getDatabase(), up.username(), up.password(),
                    SslMode.fromValue(c.getSslMode()), ConnectionSpec.DEFAULT_CONNECT_TIMEOUT_SECONDS);
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.Mapping_Invalid(purpose, e.getMessage()));
        }
    }

    public static Storage storage(CommonOptions o, PluginSettings settings, CredentialLookup credentials)
            throws AbortException {
        if (o.getStorage() != null) {
            if (o.hasInlineStorage()) {
                throw new AbortException(Messages.Mapping_StorageBoth(o.getStorage()));
            }
            StorageTarget t = settings.findStorageTarget(o.getStorage());
            if (t == null) {
                throw new AbortException(Messages.Mapping_UnknownStorage(o.getStorage(),
                        names(settings.getStorageTargetNames())));
            }
            String purpose = Messages.Purpose_Storage(t.getName());
            configured(t.validate(), purpose);
            configured(ConfigValidation.endpointInUse(t.getEndpoint(), t.getProvider()), purpose);
            return new Storage(resolve(t, purpose, credentials), t, t.getAccess());
        }
        if (!o.hasInlineStorage()) {
            throw new AbortException(Messages.Mapping_StorageMissing());
        }
        requireInline(o.getBucket(), "bucket", false);
        if (o.getEndpoint() != null) {
            requireInline(o.getStorageCredentialsId(), "storageCredentialsId", false);
        }
        StorageTarget inline = new StorageTarget("inline", o.getBucket(), o.getStorageCredentialsId());
        inline.setProvider(StorageProvider.inferFromEndpoint(o.getEndpoint()));
        inline.setPrefix(o.getPrefix());
        inline.setEndpoint(o.getEndpoint());
        inline.setRegion(o.getRegion());
        inline.setPathStyle(o.isPathStyle());
        inline.setChecksumMode(ChecksumMode.AUTO);
        check("bucket", ConfigValidation.bucket(inline.getBucket()));
        check("prefix", ConfigValidation.prefix(inline.getPrefix()));
        check("endpoint", ConfigValidation.endpointInUse(inline.getEndpoint(), inline.getProvider()));
        check("region", ConfigValidation.region(inline.getRegion(), inline.getProvider()));
        StorageAccess access;
        try {
            access = StorageAccess.fromName(o.getStorageAccess(), StorageAccess.AGENT_KEYS);
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.Mapping_Invalid("storageAccess", e.getMessage()));
        }
        return new Storage(resolve(inline, Messages.Purpose_InlineStorage(inline.getBucket()), credentials), null,
                access);
    }

    /**
     * A target's settings with its keys. Without credentials (Amazon S3 only) the SDK's default credentials of the
     * agent apply: its environment, profile or instance role. Path-style is forced when asked, else the provider's
     * default (on for S3-compatible services).
     */
    public static StorageSettings resolve(StorageTarget t, String purpose, CredentialLookup credentials)
            throws AbortException {
        StorageSettings.Builder b = StorageSettings.builder(provider(t.getProvider()))
                .bucket(t.getBucket())
                .prefix(t.getPrefix())
                .endpoint(t.getEndpoint())
                .region(t.getRegion())
                .pathStyle(t.isPathStyle() ? Boolean.TRUE : null)
                .checksumWhenRequired(t.getChecksumMode().whenRequiredOnly(t.getProvider()));
        if (t.getCredentialsId() != null) {
            CredentialLookup.UsernamePassword keys = credentials.usernamePassword(t.getCredentialsId(), purpose);
            b.credentials(keys.username(), keys.password());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.Mapping_Invalid(purpose, e.getMessage()));
        }
    }

    static StorageSettings.Provider provider(StorageProvider p) {
        return switch (p) {
            case AMAZON_S3 -> StorageSettings.Provider.AMAZON_S3;
            case CLOUDFLARE_R2 -> StorageSettings.Provider.CLOUDFLARE_R2;
            case S3_COMPATIBLE -> StorageSettings.Provider.S3_COMPATIBLE;
        };
    }

    /**
     * Where and how the clients run on the agent, built there: the timeout, the pinned version ({@code null} to
     * detect), the controller's fresh cache entries, and the clients searched in the well-known directories, the
     * configured roots, then the build's {@code PATH} split with that machine's separator (or the agent's own
     * {@code PATH} when the build's is unknown).
     */
    static ToolSetup tools(int timeoutMinutes, PostgresVersion pinned, List<String> roots, String searchPath,
            String pathSeparator, List<VersionCacheStore.Entry> cached, int versionCacheHours) {
        return ToolSetup.defaults()
                .withTimeout(Duration.ofMinutes(timeoutMinutes))
                .withPinnedVersion(pinned)
                .withToolRoots(roots)
                .withToolLocations(toolLocations(roots, searchPath, pathSeparator))
                .withCachedVersions(VersionCacheStore.toSnapshot(cached), Duration.ofHours(versionCacheHours));
    }

    /** The build's {@code PATH} when known, else the agent's own (the engine's default). */
    static ToolLocations toolLocations(List<String> roots, String searchPath, String pathSeparator) {
        if (searchPath == null) {
            return ToolLocations.defaults(roots);
        }
        return ToolLocations.of(ToolLocations.WELL_KNOWN, roots,
                Arrays.asList(searchPath.split(Pattern.quote(pathSeparator))));
    }

    /** The step's timeout, else the configured default; checked. */
    static int timeoutMinutes(CommonOptions o, PluginSettings settings) throws AbortException {
        int minutes = o.getTimeoutMinutes() != null ? o.getTimeoutMinutes() : settings.getTimeoutMinutes();
        check("timeoutMinutes", ConfigValidation.timeoutMinutes(minutes));
        return minutes;
    }

    static int jobs(CommonOptions o) throws AbortException {
        check("jobs", ConfigValidation.jobs(o.getJobs()));
        return o.getJobs() == null ? 1 : o.getJobs();
    }

    /** Whether to notify: only when Discord is configured and the step did not say {@code notify: false}. */
    static boolean notify(CommonOptions o, PluginSettings settings) {
        return settings.getDiscord() != null && o.isNotify();
    }

    /** Errors abort; warnings are for the form only. */
    static void check(String field, FieldCheck c) throws AbortException {
        if (c.isError()) {
            throw new AbortException(Messages.Mapping_Invalid(field, c.message()));
        }
    }

    /**
     * Configuration as Code keeps an entry with an invalid field (so that one entry cannot stop Jenkins from
     * starting); the steps that name it stop here, saying what to correct.
     */
    private static void configured(FieldCheck c, String purpose) throws AbortException {
        if (c.isError()) {
            throw new AbortException(Messages.Mapping_ConfiguredInvalid(purpose, c.message()));
        }
    }

    private static void requireInline(String value, String field, boolean database) throws AbortException {
        if (value == null) {
            throw new AbortException(database
                    ? Messages.Mapping_InlineDatabaseMissing(field)
                    : Messages.Mapping_InlineStorageMissing(field));
        }
    }

    private static String names(List<String> names) {
        List<String> quoted = new ArrayList<>();
        for (String n : names) {
            quoted.add("'" + n + "'");
        }
        return quoted.isEmpty() ? Messages.Mapping_NoneConfigured() : String.join(", ", quoted);
    }
}
