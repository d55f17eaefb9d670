package io.jenkins.plugins.pgbackup.config;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Manage Jenkins » System » PostgreSQL Backup: named database connections and storage targets, Discord notifications
 * and the defaults of the steps. Every setter validates and saves, so Configuration as Code
 * ({@code unclassified: postgresqlBackup: ...}) gets the form's checks, with one difference made on purpose: a
 * connection or storage target with an invalid field is kept and logged rather than refused. Configuration as Code
 * applies at startup, and a refused value stops Jenkins from starting, which is a heavy price for one entry that only
 * the steps naming it use; those steps fail with the entry's problem instead ({@code CommonMapping}). The names stay
 * strict (present, valid, unique), since steps find entries by them, and so do the few global values. The form
 * ({@link #configure}) refuses every invalid value, as its user is there to correct it.
 */
@Extension
@Symbol("postgresqlBackup")
public final class PgBackupGlobalConfiguration extends GlobalConfiguration implements PluginSettings {

    private static final Logger LOGGER = Logger.getLogger(PgBackupGlobalConfiguration.class.getName());
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
        SettingsChecks.connectionNames(list).throwIfError();
        logUnusable(SettingsChecks.entryProblems(list, DatabaseConnection::getName, DatabaseConnection::validate));
        this.connections = new ArrayList<>(list);
        save();
    }

    public List<StorageTarget> getStorageTargets() {
        return List.copyOf(storageTargets);
    }

    @DataBoundSetter
    public void setStorageTargets(List<StorageTarget> storageTargets) {
        List<StorageTarget> list = storageTargets == null ? List.of() : List.copyOf(storageTargets);
        SettingsChecks.storageTargetNames(list).throwIfError();
        logUnusable(SettingsChecks.entryProblems(list, StorageTarget::getName, StorageTarget::validate));
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
            SettingsChecks.connections(connections).throwIfError();
            SettingsChecks.storageTargets(storageTargets).throwIfError();
        } catch (IllegalArgumentException e) {
            connections = oldConnections;
            storageTargets = oldTargets;
            discord = oldDiscord;
            retention = oldRetention;
            save(); // the setters that ran saved their part
            throw new FormException(e.getMessage(), e, "postgresqlBackup");
        }
        save();
        return true;
    }

    private static void logUnusable(List<String> problems) {
        for (String p : problems) {
            LOGGER.log(Level.WARNING, "PostgreSQL Backup: kept, but steps refuse to use it until it is corrected: {0}",
                    p);
        }
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
