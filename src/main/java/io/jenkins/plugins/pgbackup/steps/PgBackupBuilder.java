package io.jenkins.plugins.pgbackup.steps;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.pgbackup.config.ConfigValidation;
import io.jenkins.plugins.pgbackup.config.FormatItems;
import io.jenkins.plugins.pgbackup.config.CredentialsForms;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The freestyle build step "Back up PostgreSQL database": the same options and the same code as {@code pgBackup}
 * ({@link BackupRunner}); text options may use {@code $VARIABLES} of the build. The result is on the build's page.
 */
public final class PgBackupBuilder extends Builder implements SimpleBuildStep {

    private final BackupOptions options = new BackupOptions();

    @DataBoundConstructor
    public PgBackupBuilder() {}

    BackupOptions options() {
        return options;
    }

    public String getConnection() {
        return options.getConnection();
    }

    @DataBoundSetter
    public void setConnection(String connection) {
        options.setConnection(connection);
    }

    public String getHost() {
        return options.getHost();
    }

    @DataBoundSetter
    public void setHost(String host) {
        options.setHost(host);
    }

    public Integer getPort() {
        return options.getPort();
    }

    @DataBoundSetter
    public void setPort(Integer port) {
        options.setPort(port);
    }

    public String getDatabase() {
        return options.getDatabase();
    }

    @DataBoundSetter
    public void setDatabase(String database) {
        options.setDatabase(database);
    }

    public String getCredentialsId() {
        return options.getCredentialsId();
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        options.setCredentialsId(credentialsId);
    }

    public String getStorage() {
        return options.getStorage();
    }

    @DataBoundSetter
    public void setStorage(String storage) {
        options.setStorage(storage);
    }

    public String getBucket() {
        return options.getBucket();
    }

    @DataBoundSetter
    public void setBucket(String bucket) {
        options.setBucket(bucket);
    }

    public String getPrefix() {
        return options.getPrefix();
    }

    @DataBoundSetter
    public void setPrefix(String prefix) {
        options.setPrefix(prefix);
    }

    public String getEndpoint() {
        return options.getEndpoint();
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        options.setEndpoint(endpoint);
    }

    public String getRegion() {
        return options.getRegion();
    }

    @DataBoundSetter
    public void setRegion(String region) {
        options.setRegion(region);
    }

    public String getStorageCredentialsId() {
        return options.getStorageCredentialsId();
    }

    @DataBoundSetter
    public void setStorageCredentialsId(String storageCredentialsId) {
        options.setStorageCredentialsId(storageCredentialsId);
    }

    public boolean isPathStyle() {
        return options.isPathStyle();
    }

    @DataBoundSetter
    public void setPathStyle(boolean pathStyle) {
        options.setPathStyle(pathStyle);
    }

    public String getStorageAccess() {
        return options.getStorageAccess();
    }

    @DataBoundSetter
    public void setStorageAccess(String storageAccess) {
        options.setStorageAccess(storageAccess);
    }

    public Integer getJobs() {
        return options.getJobs();
    }

    @DataBoundSetter
    public void setJobs(Integer jobs) {
        options.setJobs(jobs);
    }

    public Integer getTimeoutMinutes() {
        return options.getTimeoutMinutes();
    }

    @DataBoundSetter
    public void setTimeoutMinutes(Integer timeoutMinutes) {
        options.setTimeoutMinutes(timeoutMinutes);
    }

    public boolean isNotify() {
        return options.isNotify();
    }

    @DataBoundSetter
    public void setNotify(boolean notify) {
        options.setNotify(notify);
    }

    public String getFormat() {
        return options.getFormat();
    }

    @DataBoundSetter
    public void setFormat(String format) {
        options.setFormat(format);
    }

    public String getCompression() {
        return options.getCompression();
    }

    @DataBoundSetter
    public void setCompression(String compression) {
        options.setCompression(compression);
    }

    public String getPostgresVersion() {
        return options.getPostgresVersion();
    }

    @DataBoundSetter
    public void setPostgresVersion(String postgresVersion) {
        options.setPostgresVersion(postgresVersion);
    }

    public Integer getKeepLast() {
        return options.getKeepLast();
    }

    @DataBoundSetter
    public void setKeepLast(Integer keepLast) {
        options.setKeepLast(keepLast);
    }

    public Integer getKeepDays() {
        return options.getKeepDays();
    }

    @DataBoundSetter
    public void setKeepDays(Integer keepDays) {
        options.setKeepDays(keepDays);
    }

    public Integer getKeepDaily() {
        return options.getKeepDaily();
    }

    @DataBoundSetter
    public void setKeepDaily(Integer keepDaily) {
        options.setKeepDaily(keepDaily);
    }

    public Integer getKeepWeekly() {
        return options.getKeepWeekly();
    }

    @DataBoundSetter
    public void setKeepWeekly(Integer keepWeekly) {
        options.setKeepWeekly(keepWeekly);
    }

    public Integer getKeepMonthly() {
        return options.getKeepMonthly();
    }

    @DataBoundSetter
    public void setKeepMonthly(Integer keepMonthly) {
        options.setKeepMonthly(keepMonthly);
    }

    public Integer getMinKept() {
        return options.getMinKept();
    }

    @DataBoundSetter
    public void setMinKept(Integer minKept) {
        options.setMinKept(minKept);
    }

    public boolean isRetentionDryRun() {
        return options.isRetentionDryRun();
    }

    @DataBoundSetter
    public void setRetentionDryRun(boolean retentionDryRun) {
        options.setRetentionDryRun(retentionDryRun);
    }

    /** age recipients (public keys, {@code age1...}) to encrypt for; replaces the storage target's. */
    public String getAgeRecipients() {
        return options.getAgeRecipients();
    }

    @DataBoundSetter
    public void setAgeRecipients(String ageRecipients) {
        options.setAgeRecipients(ageRecipients);
    }

    public String getAgeRecipientsCredentialsId() {
        return options.getAgeRecipientsCredentialsId();
    }

    @DataBoundSetter
    public void setAgeRecipientsCredentialsId(String ageRecipientsCredentialsId) {
        options.setAgeRecipientsCredentialsId(ageRecipientsCredentialsId);
    }

    public boolean isIncludeGlobals() {
        return options.isIncludeGlobals();
    }

    @DataBoundSetter
    public void setIncludeGlobals(boolean includeGlobals) {
        options.setIncludeGlobals(includeGlobals);
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        try {
            BackupRunner.run(options.expanded(env::expand), Messages.PgBackupBuilder_DisplayName(), run, workspace, env,
                    listener);
        } catch (StoppedException e) {
            // The executor's interrupt ends the build as ABORTED; the log says what was stopped, then the
            // interruption goes on as usual.
            listener.getLogger().println(e.summary());
            throw e;
        }
    }

    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        /** The form is the Pipeline step's ({@code config.jelly} includes it from this class). */
        public Class<?> getFormClass() {
            return PgBackupStep.class;
        }

        @Override
        public String getDisplayName() {
            return Messages.PgBackupBuilder_DisplayName();
        }

        public ListBoxModel doFillConnectionItems() {
            return StepForms.connections();
        }

        public ListBoxModel doFillStorageAccessItems() {
            return StepForms.storageAccess();
        }

        public ListBoxModel doFillStorageItems() {
            return StepForms.storageTargets();
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String credentialsId) {
            return StepForms.usernamePasswords(item, credentialsId);
        }

        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return StepForms.checkUsernamePassword(item, value);
        }

        public ListBoxModel doFillStorageCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String storageCredentialsId) {
            return StepForms.usernamePasswords(item, storageCredentialsId);
        }

        public FormValidation doCheckStorageCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return StepForms.checkUsernamePassword(item, value);
        }

        public FormValidation doCheckAgeRecipients(@QueryParameter String value) {
            return StepForms.optional(value, ConfigValidation.ageRecipients(value));
        }

        public ListBoxModel doFillAgeRecipientsCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String ageRecipientsCredentialsId) {
            return StepForms.secretTexts(item, ageRecipientsCredentialsId);
        }

        public FormValidation doCheckAgeRecipientsCredentialsId(@AncestorInPath Item item,
                @QueryParameter String value) {
            return StepForms.checkSecretText(item, value);
        }

        public FormValidation doCheckHost(@QueryParameter String value) {
            return StepForms.host(value);
        }

        public FormValidation doCheckPort(@QueryParameter String value) {
            return StepForms.port(value);
        }

        public FormValidation doCheckBucket(@QueryParameter String value) {
            return StepForms.bucket(value);
        }

        public FormValidation doCheckPrefix(@QueryParameter String value) {
            return StepForms.prefix(value);
        }

        public FormValidation doCheckEndpoint(@QueryParameter String value) {
            return StepForms.endpoint(value);
        }

        public FormValidation doCheckRegion(@QueryParameter String value, @QueryParameter String endpoint) {
            return StepForms.region(value, endpoint);
        }

        public FormValidation doCheckJobs(@QueryParameter String value) {
            return StepForms.jobs(value);
        }

        public FormValidation doCheckTimeoutMinutes(@QueryParameter String value) {
            return StepForms.timeoutMinutes(value);
        }

        public ListBoxModel doFillFormatItems() {
            return FormatItems.all();
        }

        public FormValidation doCheckCompression(@QueryParameter String value, @QueryParameter String format) {
            return StepForms.optional(value, ConfigValidation.compression(value, format));
        }

        public FormValidation doCheckPostgresVersion(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.postgresVersion(value));
        }

        public FormValidation doCheckKeepLast(@QueryParameter String value) {
            return StepForms.retentionCount(value);
        }

        public FormValidation doCheckKeepDays(@QueryParameter String value) {
            return StepForms.retentionCount(value);
        }

        public FormValidation doCheckKeepDaily(@QueryParameter String value) {
            return StepForms.retentionCount(value);
        }

        public FormValidation doCheckKeepWeekly(@QueryParameter String value) {
            return StepForms.retentionCount(value);
        }

        public FormValidation doCheckKeepMonthly(@QueryParameter String value) {
            return StepForms.retentionCount(value);
        }

        public FormValidation doCheckMinKept(@QueryParameter String value) {
            return StepForms.minKept(value);
        }
    }
}
