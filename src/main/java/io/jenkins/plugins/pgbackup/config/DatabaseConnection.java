package io.jenkins.plugins.pgbackup.config;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.pgbackup.db.SslMode;
import java.util.List;
import java.util.Objects;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A PostgreSQL database that Pipelines and build steps back up or restore by name. The password stays in the
 * credentials store; only its id is kept here.
 */
public final class DatabaseConnection implements Describable<DatabaseConnection> {

    private final String name;
    private final String host;
    private final String database;
    private final String credentialsId;
    private int port = 5432;
    private String sslMode;
    private String postgresVersion;
    private String extraOptions;
    private boolean includeGlobals;
    private int maxBackupAgeHours;
    private String freshnessStorage;

    @DataBoundConstructor
    public DatabaseConnection(String name, String host, String database, String credentialsId) {
        this.name = Text.trimToNull(name);
        this.host = Text.trimToNull(host);
        this.database = database == null || database.isBlank() ? null : database;
        this.credentialsId = Text.trimToNull(credentialsId);
    }

    public String getName() {
        return name;
    }

    public String getHost() {
        return host;
    }

    public String getDatabase() {
        return database;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int port) {
        this.port = port;
    }

    /** libpq's sslmode; {@code null} means prefer. */
    public String getSslMode() {
        return sslMode;
    }

    @DataBoundSetter
    public void setSslMode(String sslMode) {
        this.sslMode = Text.trimToNull(sslMode);
    }

    /** A pinned major ("16"), or {@code null} to detect the server's version. "latest" means detect too. */
    public String getPostgresVersion() {
        return postgresVersion;
    }

    @DataBoundSetter
    public void setPostgresVersion(String postgresVersion) {
        String v = Text.trimToNull(postgresVersion);
        this.postgresVersion = v == null || v.equalsIgnoreCase("latest") ? null : v;
    }

    /** More pg_dump options, such as {@code --exclude-table-data=audit.*}. */
    public String getExtraOptions() {
        return extraOptions;
    }

    @DataBoundSetter
    public void setExtraOptions(String extraOptions) {
        this.extraOptions = Text.trimToNull(extraOptions);
    }

    /** Back up the cluster's globals with every backup of this connection (as a step's {@code includeGlobals}). */
    public boolean isIncludeGlobals() {
        return includeGlobals;
    }

    @DataBoundSetter
    public void setIncludeGlobals(boolean includeGlobals) {
        this.includeGlobals = includeGlobals;
    }

    /** The freshness alarm's limit: the newest backup may be at most this many hours old; 0 turns the alarm off. */
    public int getMaxBackupAgeHours() {
        return maxBackupAgeHours;
    }

    @DataBoundSetter
    public void setMaxBackupAgeHours(int maxBackupAgeHours) {
        this.maxBackupAgeHours = maxBackupAgeHours;
    }

    /** The storage target the freshness alarm looks in; {@code null} when the alarm is off. */
    public String getFreshnessStorage() {
        return freshnessStorage;
    }

    @DataBoundSetter
    public void setFreshnessStorage(String freshnessStorage) {
        this.freshnessStorage = Text.trimToNull(freshnessStorage);
    }

    /** The version cache's key for this server: host, port and database, as {@code ConnectionSpec#serverKey()}. */
    public String serverKey() {
        return host + ":" + port + "/" + database;
    }

    /** Every field checked; the first error, if any. */
    public FieldCheck validate() {
        return ConfigValidation.worst(List.of(ConfigValidation.name(name), ConfigValidation.host(host),
                ConfigValidation.port(port), ConfigValidation.database(database),
                ConfigValidation.credentialsRequired(credentialsId), ConfigValidation.sslMode(sslMode),
                ConfigValidation.postgresVersion(postgresVersion), ConfigValidation.extraOptions(extraOptions),
                FreshnessValidation.maxBackupAge(maxBackupAgeHours, freshnessStorage)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseConnection c && port == c.port && Objects.equals(name, c.name)
                && Objects.equals(host, c.host) && Objects.equals(database, c.database)
                && Objects.equals(credentialsId, c.credentialsId) && Objects.equals(sslMode, c.sslMode)
                && Objects.equals(postgresVersion, c.postgresVersion) && Objects.equals(extraOptions, c.extraOptions)
                && includeGlobals == c.includeGlobals
                && maxBackupAgeHours == c.maxBackupAgeHours && Objects.equals(freshnessStorage, c.freshnessStorage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, host, port, database);
    }

    @Override
    public String toString() {
        return name + " (" + serverKey() + ")";
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<DatabaseConnection> {

        @Override
        public String getDisplayName() {
            return Messages.DatabaseConnection_DisplayName();
        }

        public FormValidation doCheckName(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.name(value));
        }

        public FormValidation doCheckHost(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.host(value));
        }

        public FormValidation doCheckPort(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.port(FormNumbers.parse(value, 0)));
        }

        public FormValidation doCheckDatabase(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.database(value));
        }

        public FormValidation doCheckPostgresVersion(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.postgresVersion(value));
        }

        public FormValidation doCheckExtraOptions(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.extraOptions(value));
        }

        public FormValidation doCheckMaxBackupAgeHours(@QueryParameter String value,
                @QueryParameter String freshnessStorage) {
            return CredentialsForms.toForm(FreshnessValidation.maxBackupAge(FormNumbers.parse(value, 0),
                    freshnessStorage));
        }

        public FormValidation doCheckFreshnessStorage(@QueryParameter String value,
                @QueryParameter String maxBackupAgeHours) {
            return CredentialsForms.toForm(FreshnessValidation.storage(value, FormNumbers.parse(maxBackupAgeHours, 0),
                    PgBackupGlobalConfiguration.get().getStorageTargetNames()));
        }

        public ListBoxModel doFillFreshnessStorageItems() {
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.Freshness_NoStorage(), "");
            for (String name : PgBackupGlobalConfiguration.get().getStorageTargetNames()) {
                items.add(name, name);
            }
            return items;
        }

        public ListBoxModel doFillSslModeItems() {
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.SslMode_Default(), "");
            for (SslMode m : SslMode.values()) {
                items.add(m.value(), m.value());
            }
            return items;
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsForms.fill(item, StandardUsernamePasswordCredentials.class, credentialsId);
        }

        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            FieldCheck required = ConfigValidation.credentialsRequired(value);
            if (required.isError()) {
                return CredentialsForms.toForm(required);
            }
            return CredentialsForms.check(item, StandardUsernamePasswordCredentials.class, value,
                    Messages.Validation_CredentialsNotFound(value));
        }

        /** Connects from the controller and shows the server's version, which also refreshes the version cache. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String host, @QueryParameter String port,
                @QueryParameter String database, @QueryParameter String credentialsId,
                @QueryParameter String sslMode, @QueryParameter String includeGlobals) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            DatabaseConnection c = new DatabaseConnection("test", host, database, credentialsId);
            c.setPort(FormNumbers.parse(port, 5432));
            c.setSslMode(sslMode);
            c.setIncludeGlobals(Boolean.parseBoolean(includeGlobals)); // the button sends a checkbox as true/false
            return ConnectionTests.database(c);
        }

        /** For the configuration page: the version last detected for this connection and when. */
        public String lastDetected(DatabaseConnection connection) {
            return connection == null ? "" : ControllerVersionCache.get().describe(connection.serverKey());
        }
    }
}
