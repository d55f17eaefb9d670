package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.DiscordNotification;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.RetentionSettings;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.config.StorageProvider;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.util.ArrayList;
import java.util.List;

/** Plain settings, as the global configuration would hold them, for tests that run without Jenkins. */
final class TestSettings implements PluginSettings {
    final List<DatabaseConnection> connections = new ArrayList<>();
    final List<StorageTarget> targets = new ArrayList<>();
    int timeoutMinutes = 30;
    String format;
    String compression;
    RetentionSettings retention;
    int versionCacheHours = 24;
    List<String> toolRoots = List.of();
    DiscordNotification discord;

    /** A connection {@code name} to {@code database} on the test server, with the credential "pg". */
    static DatabaseConnection connection(String name, PostgresServers.Server pg, String database) {
        DatabaseConnection c = new DatabaseConnection(name, "localhost", database, "pg");
        c.setPort(pg.port());
        return c;
    }

    /** A target {@code name}: {@code bucket} on S3Proxy with the credential "s3". */
    static StorageTarget s3proxyTarget(String name, S3ProxyServer s3, String bucket, String prefix,
            StorageAccess access) {
        StorageTarget target = new StorageTarget(name, bucket, "s3");
        target.setProvider(StorageProvider.S3_COMPATIBLE);
        target.setEndpoint(s3.endpoint().toString());
        target.setPrefix(prefix);
        target.setAccess(access);
        return target;
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

    @Override
    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    @Override
    public String getFormat() {
        return format;
    }

    @Override
    public String getCompression() {
        return compression;
    }

    @Override
    public RetentionSettings getRetention() {
        return retention;
    }

    @Override
    public int getVersionCacheHours() {
        return versionCacheHours;
    }

    @Override
    public List<String> getToolSearchRootList() {
        return toolRoots;
    }

    @Override
    public DiscordNotification getDiscord() {
        return discord;
    }
}
