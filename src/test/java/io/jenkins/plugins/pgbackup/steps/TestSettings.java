package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.DiscordNotification;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.RetentionSettings;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
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
