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
import java.util.LinkedHashMap;
import java.util.Map;
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
 * {@code pgVerify}: a restore drill. Restores a backup (by {@code key}, or the {@code latest} of a database) into a
 * scratch database it creates on the connection's server, checks the tables against the backup, {@code minRows} and
 * {@code sql}, and drops the scratch database in every case. Returns a map, see {@link ResultMaps#verify}; fails when
 * a check fails. Pipeline scripts may give {@code minRows} as a map and {@code sql} as a list.
 */
public final class PgVerifyStep extends Step {

    static final String FUNCTION_NAME = "pgVerify";

    private final VerifyOptions options = new VerifyOptions();

    @DataBoundConstructor
    public PgVerifyStep() {}

    VerifyOptions options() {
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

    public String getScratchDatabase() {
        return options.getScratchDatabase();
    }

    @DataBoundSetter
    public void setScratchDatabase(String scratchDatabase) {
        options.setScratchDatabase(scratchDatabase);
    }

    public String getMinRows() {
        return options.getMinRows();
    }

    @DataBoundSetter
    public void setMinRows(String minRows) {
        options.setMinRows(minRows);
    }

    public String getSql() {
        return options.getSql();
    }

    @DataBoundSetter
    public void setSql(String sql) {
        options.setSql(sql);
    }

    public boolean isNoOwner() {
        return options.isNoOwner();
    }

    @DataBoundSetter
    public void setNoOwner(boolean noOwner) {
        options.setNoOwner(noOwner);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new PgVerifyStepExecution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        /**
         * Takes {@code minRows: ['public.orders': 1000]} and {@code sql: ['select ...']} as the examples write
         * them, besides the text the form and the snippet generator use.
         */
        @Override
        public Step newInstance(Map<String, Object> arguments) throws Exception {
            Map<String, Object> args = new LinkedHashMap<>();
            arguments.forEach((name, value) -> args.put(name, VerifyRequestMapper.pipelineArgument(name, value)));
            return super.newInstance(args);
        }

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @Override
        public String getDisplayName() {
            return Messages.PgVerifyStep_DisplayName();
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
