package io.jenkins.plugins.pgbackup.config;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Manage Jenkins » System » PostgreSQL Backup: named database connections and storage targets, Discord notifications
 * and the defaults of the steps. Every setter validates and saves, so Configuration as Code gets the same checks as
 * the form ({@code unclassified: postgresqlBackup: ...}).
 */
@Extension
@Symbol("postgresqlBackup")
public final class PgBackupGlobalConfiguration extends GlobalConfiguration implements PluginSettings {

    public static final int DEFAULT_TIMEOUT_MINUTES = 30;
    public static final int DEFAULT_VERSION_CACHE_HOURS = 24;

    private List<DatabaseConnection> connections = new ArrayList<>();
    private List<StorageTarget> storageTargets = new ArrayList<>();
    private DiscordNotification discord;
    private int timeoutMinutes = DEFAULT_TIMEOUT_MINUTES;
    private String format;
    private String compression;
    private RetentionSettings retention;
    private int versionCacheHours = DEFAULT_VERSION_CACHE_HOURS;
    private String toolSearchRoots;

    public PgBackupGlobalConfiguration() {
        load();
    }

    public static PgBackupGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(PgBackupGlobalConfiguration.class);
    }

    @Override
    public String getDisplayName() {
        return Messages.PgBackupGlobalConfiguration_DisplayName();
    }

    public List<DatabaseConnection> getConnections() {
        return List.copyOf(connections);
    }

    @DataBoundSetter
    public void setConnections(List<DatabaseConnection> connections) {
        List<DatabaseConnection> list = connections == null ? List.of() : List.copyOf(connections);
        SettingsChecks.connections(list).throwIfError();
        this.connections = new ArrayList<>(list);
        save();
    }

    public List<StorageTarget> getStorageTargets() {
        return List.copyOf(storageTargets);
    }

    @DataBoundSetter
    public void setStorageTargets(List<StorageTarget> storageTargets) {
        List<StorageTarget> list = storageTargets == null ? List.of() : List.copyOf(storageTargets);
        SettingsChecks.storageTargets(list).throwIfError();
        this.storageTargets = new ArrayList<>(list);
        save();
    }

    @Override
    public DiscordNotification getDiscord() {
        return discord;
    }

    @DataBoundSetter
    public void setDiscord(DiscordNotification discord) {
        if (discord != null) {
            discord.validate().throwIfError();
        }
        this.discord = discord;
        save();
    }

    @Override
    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    @DataBoundSetter
    public void setTimeoutMinutes(int timeoutMinutes) {
        ConfigValidation.timeoutMinutes(timeoutMinutes).throwIfError();
        this.timeoutMinutes = timeoutMinutes;
        save();
    }

    @Override
    public String getFormat() {
        return format;
    }

    @DataBoundSetter
    public void setFormat(String format) {
        String f = Text.trimToNull(format);
        ConfigValidation.format(f).throwIfError();
        this.format = f == null ? null : DumpFormat.fromId(f).id();
        save();
    }

    @Override
    public String getCompression() {
        return compression;
    }

    @DataBoundSetter
    public void setCompression(String compression) {
        String c = Text.trimToNull(compression);
        ConfigValidation.compression(c, format).throwIfError();
        this.compression = c == null || c.equalsIgnoreCase("auto") ? null : c;
        save();
    }

    @Override
    public RetentionSettings getRetention() {
        return retention;
    }

    @DataBoundSetter
    public void setRetention(RetentionSettings retention) {
        if (retention != null) {
            retention.validate().throwIfError();
        }
        this.retention = retention;
        save();
    }

    @Override
    public int getVersionCacheHours() {
        return versionCacheHours;
    }

    @DataBoundSetter
    public void setVersionCacheHours(int versionCacheHours) {
        ConfigValidation.versionCacheHours(versionCacheHours).throwIfError();
        this.versionCacheHours = versionCacheHours;
        save();
    }

    /** One directory per line. */
    public String getToolSearchRoots() {
        return toolSearchRoots;
    }

    @DataBoundSetter
    public void setToolSearchRoots(String toolSearchRoots) {
        ConfigValidation.toolSearchRoots(toolSearchRoots).throwIfError();
        List<String> lines = Text.lines(toolSearchRoots);
        this.toolSearchRoots = lines.isEmpty() ? null : String.join("\n", lines);
        save();
    }

    @Override
    public List<String> getToolSearchRootList() {
        return Text.lines(toolSearchRoots);
    }

    @Override
    public DatabaseConnection findConnection(String name) {
        return SettingsChecks.byName(connections, name, DatabaseConnection::getName);
    }

    @Override
    public StorageTarget findStorageTarget(String name) {
        return SettingsChecks.byName(storageTargets, name, StorageTarget::getName);
    }

    @Override
    public List<String> getConnectionNames() {
        return connections.stream().map(DatabaseConnection::getName).toList();
    }

    @Override
    public List<String> getStorageTargetNames() {
        return storageTargets.stream().map(StorageTarget::getName).toList();
    }

    /**
     * Binding only calls setters for what the form sent: an emptied list or an unchecked optional block sends
     * nothing, so those are cleared first. A value a setter refuses restores the previous configuration.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        List<DatabaseConnection> oldConnections = connections;
        List<StorageTarget> oldTargets = storageTargets;
        DiscordNotification oldDiscord = discord;
        RetentionSettings oldRetention = retention;
        connections = new ArrayList<>();
        storageTargets = new ArrayList<>();
        discord = null;
        retention = null;
        try {
            req.bindJSON(this, json);
        } catch (IllegalArgumentException e) {
            connections = oldConnections;
            storageTargets = oldTargets;
            discord = oldDiscord;
            retention = oldRetention;
            throw new FormException(e.getMessage(), e, "postgresqlBackup");
        }
        save();
        return true;
    }

    public FormValidation doCheckTimeoutMinutes(@QueryParameter String value) {
        return CredentialsForms.toForm(ConfigValidation.timeoutMinutes(FormNumbers.parse(value, 0)));
    }

    public FormValidation doCheckCompression(@QueryParameter String value, @QueryParameter String format) {
        return CredentialsForms.toForm(ConfigValidation.compression(value, format));
    }

    public FormValidation doCheckVersionCacheHours(@QueryParameter String value) {
        return CredentialsForms.toForm(ConfigValidation.versionCacheHours(FormNumbers.parse(value, -1)));
    }

    public FormValidation doCheckToolSearchRoots(@QueryParameter String value) {
        return CredentialsForms.toForm(ConfigValidation.toolSearchRoots(value));
    }

    public ListBoxModel doFillFormatItems() {
        return FormatItems.all();
    }
}
