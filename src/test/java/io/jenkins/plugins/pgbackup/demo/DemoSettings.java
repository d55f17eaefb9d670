package io.jenkins.plugins.pgbackup.demo;

import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.DiscordNotification;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.RetentionSettings;
import io.jenkins.plugins.pgbackup.config.StorageProvider;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import java.util.List;

/**
 * The demo's configuration, as *Manage Jenkins » System » PostgreSQL Backup* holds it: three connections to the
 * demo's server (the sample database, the database restores go to, and where drills make their scratch database), a
 * storage target on the demo's S3 API with retention and age encryption, and a freshness rule. Built from the running
 * services, since their ports change with every start; the Jenkins part copies it into the global configuration,
 * and the demo's test runs the steps against it directly.
 */
public final class DemoSettings implements PluginSettings {
    public static final String CONNECTION = "demo-shop";
    public static final String RESTORED_CONNECTION = "demo-shop-restored";
    public static final String DRILLS_CONNECTION = "demo-drills";
    public static final String STORAGE = "demo-bucket";
    /** Where restores of the sample database go: made by the first restore, replaced by the next. */
    public static final String RESTORED_DATABASE = "shop_restored";
    public static final String PREFIX = "postgres";
    /** The freshness rule: a nightly backup, with two hours to spare. */
    public static final int MAX_BACKUP_AGE_HOURS = 26;
    public static final int KEEP_LAST = 10;

    private final List<DatabaseConnection> connections;
    private final List<StorageTarget> targets;
    private final List<String> toolSearchRoots;

    /**
     * @param toolSearchRoots extra folders with PostgreSQL clients (such as {@code ~/.cache/pgbackup/pg-clients});
     *     may be empty
     */
    public DemoSettings(DemoEnvironment env, List<String> toolSearchRoots) {
        DatabaseConnection shop = connection(CONNECTION, DemoSample.DATABASE, DemoCredentials.OWNER, env);
        shop.setMaxBackupAgeHours(MAX_BACKUP_AGE_HOURS);
        shop.setFreshnessStorage(STORAGE);
        this.connections = List.of(shop,
                connection(RESTORED_CONNECTION, RESTORED_DATABASE, DemoCredentials.POSTGRES, env),
                connection(DRILLS_CONNECTION, "postgres", DemoCredentials.POSTGRES, env));
        StorageTarget target = new StorageTarget(STORAGE, DemoStorage.BUCKET, DemoCredentials.S3_KEYS);
        target.setProvider(StorageProvider.S3_COMPATIBLE);
        target.setEndpoint(env.s3Endpoint().toString());
        target.setPrefix(PREFIX);
        RetentionSettings retention = new RetentionSettings();
        retention.setKeepLast(KEEP_LAST);
        target.setRetention(retention);
        target.setAgeRecipients(env.secrets().ageRecipient());
        target.setAgeIdentityCredentialsId(DemoCredentials.AGE_IDENTITY);
        this.targets = List.of(target);
        this.toolSearchRoots = List.copyOf(toolSearchRoots);
    }

    private static DatabaseConnection connection(String name, String database, String credentialsId,
            DemoEnvironment env) {
        DatabaseConnection c = new DatabaseConnection(name, "localhost", database, credentialsId);
        c.setPort(env.postgresPort());
        return c;
    }

    public List<DatabaseConnection> connections() {
        return connections;
    }

    public List<StorageTarget> storageTargets() {
        return targets;
    }

    @Override
    public DatabaseConnection findConnection(String name) {
        return connections.stream().filter(c -> c.getName().equals(name)).findFirst().orElse(null);
    }

    @Override
    public StorageTarget findStorageTarget(String name) {
        return targets.stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
    }

    @Override
    public List<String> getConnectionNames() {
        return connections.stream().map(DatabaseConnection::getName).toList();
    }

    @Override
    public List<String> getStorageTargetNames() {
        return targets.stream().map(StorageTarget::getName).toList();
    }

    // The global values are the plugin's defaults: the demo configures only its connections and its target.

    @Override
    public int getTimeoutMinutes() {
        return 30;
    }

    @Override
    public String getFormat() {
        return null;
    }

    @Override
    public String getCompression() {
        return null;
    }

    @Override
    public RetentionSettings getRetention() {
        return null;
    }

    @Override
    public int getVersionCacheHours() {
        return 24;
    }

    @Override
    public List<String> getToolSearchRootList() {
        return toolSearchRoots;
    }

    @Override
    public DiscordNotification getDiscord() {
        return null;
    }
}
