package io.jenkins.plugins.pgbackup.config;

import java.util.List;

/**
 * What the steps read from the global configuration. An interface so that the mapping from step options to engine
 * requests can be unit-tested with plain settings, without a running Jenkins.
 */
public interface PluginSettings {

    /** The connection of that name, or {@code null}. */
    DatabaseConnection findConnection(String name);

    /** The storage target of that name, or {@code null}. */
    StorageTarget findStorageTarget(String name);

    List<String> getConnectionNames();

    List<String> getStorageTargetNames();

    /** Minutes a backup or restore may take before it is stopped; the steps' default. */
    int getTimeoutMinutes();

    /** The default dump format ("custom", ...), or {@code null} for custom. */
    String getFormat();

    /** The default compression ("zstd:3", ...), or {@code null} to let the plugin choose per client. */
    String getCompression();

    /** Global retention, or {@code null} for none. */
    RetentionSettings getRetention();

    /** How long a detected server version is trusted; 0 detects before every backup. */
    int getVersionCacheHours();

    /** Directories on agents to look for PostgreSQL clients in, besides the well-known ones. */
    List<String> getToolSearchRootList();

    /** Discord settings, or {@code null} when notifications are off. */
    DiscordNotification getDiscord();
}
