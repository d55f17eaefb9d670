package io.jenkins.plugins.pgbackup.steps;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.pgbackup.config.ConfigValidation;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code pgRestore}: restores a backup (by {@code key}, or the {@code latest} of a database) into a database, with a
 * pg_restore or psql at least as new as the pg_dump that wrote it, after verifying its checksum. Destructive options
 * ({@code clean}, {@code createDatabase}) are off unless given. Returns a map, see {@link ResultMaps#restore}.
 */
public final class PgRestoreStep extends Step {

    static final String FUNCTION_NAME = "pgRestore";

    private final RestoreOptions options = new RestoreOptions();

    @DataBoundConstructor
    public PgRestoreStep() {}

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
    public StepExecution start(StepContext context) {
        return new PgRestoreStepExecution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @Override
        public String getDisplayName() {
            return Messages.PgRestoreStep_DisplayName();
        }

        /** The tools run on the agent that holds the workspace, so the step needs {@code node}. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, Launcher.class, TaskListener.class, Run.class, EnvVars.class);
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
