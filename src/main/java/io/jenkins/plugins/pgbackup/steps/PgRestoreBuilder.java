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
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The freestyle build step "Restore PostgreSQL database": the same options and the same code as {@code pgRestore}
 * ({@link RestoreRunner}); text options may use {@code $VARIABLES} of the build (a build parameter naming the key).
 */
public final class PgRestoreBuilder extends Builder implements SimpleBuildStep {

    private final RestoreOptions options = new RestoreOptions();

    @DataBoundConstructor
    public PgRestoreBuilder() {}

    RestoreOptions options() {
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

    public String getKey() {
        return options.getKey();
    }

    @DataBoundSetter
    public void setKey(String key) {
        options.setKey(key);
    }

    public String getLatest() {
        return options.getLatest();
    }

    @DataBoundSetter
    public void setLatest(String latest) {
        options.setLatest(latest);
    }

    public boolean isClean() {
        return options.isClean();
    }

    @DataBoundSetter
    public void setClean(boolean clean) {
        options.setClean(clean);
    }

    public boolean isCreateDatabase() {
        return options.isCreateDatabase();
    }

    @DataBoundSetter
    public void setCreateDatabase(boolean createDatabase) {
        options.setCreateDatabase(createDatabase);
    }

    public boolean isNoOwner() {
        return options.isNoOwner();
    }

    @DataBoundSetter
    public void setNoOwner(boolean noOwner) {
        options.setNoOwner(noOwner);
    }

    public boolean isSingleTransaction() {
        return options.isSingleTransaction();
    }

    @DataBoundSetter
    public void setSingleTransaction(boolean singleTransaction) {
        options.setSingleTransaction(singleTransaction);
    }

    /** A Secret text credential with the age identity that decrypts encrypted backups; over the storage target's. */
    public String getAgeIdentityCredentialsId() {
        return options.getAgeIdentityCredentialsId();
    }

    @DataBoundSetter
    public void setAgeIdentityCredentialsId(String ageIdentityCredentialsId) {
        options.setAgeIdentityCredentialsId(ageIdentityCredentialsId);
    }

    public boolean isRestoreGlobals() {
        return options.isRestoreGlobals();
    }

    @DataBoundSetter
    public void setRestoreGlobals(boolean restoreGlobals) {
        options.setRestoreGlobals(restoreGlobals);
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        try {
            RestoreRunner.run(options.expanded(env::expand), Messages.PgRestoreBuilder_DisplayName(), run, workspace, env,
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
            return PgRestoreStep.class;
        }

        @Override
        public String getDisplayName() {
            return Messages.PgRestoreBuilder_DisplayName();
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

        public ListBoxModel doFillAgeIdentityCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String ageIdentityCredentialsId) {
            return StepForms.secretTexts(item, ageIdentityCredentialsId);
        }

        public FormValidation doCheckAgeIdentityCredentialsId(@AncestorInPath Item item,
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

        public FormValidation doCheckKey(@QueryParameter String value, @QueryParameter String latest) {
            return StepForms.keyOrLatest(value, latest);
        }

        public FormValidation doCheckLatest(@QueryParameter String value) {
            return StepForms.optional(value, ConfigValidation.database(value));
        }
    }
}
