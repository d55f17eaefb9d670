package io.jenkins.plugins.pgbackup.config;

import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.Objects;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * Posts backup and restore results to a Discord channel. The webhook URL grants posting to the channel, so it is a
 * Secret text credential, never plain configuration.
 */
public final class DiscordNotification implements Describable<DiscordNotification> {

    private final String webhookCredentialsId;
    private boolean notifyOnSuccess = true;
    private boolean notifyOnFailure = true;

    @DataBoundConstructor
    public DiscordNotification(String webhookCredentialsId) {
        this.webhookCredentialsId = Text.trimToNull(webhookCredentialsId);
    }

    public String getWebhookCredentialsId() {
        return webhookCredentialsId;
    }

    public boolean isNotifyOnSuccess() {
        return notifyOnSuccess;
    }

    @DataBoundSetter
    public void setNotifyOnSuccess(boolean notifyOnSuccess) {
        this.notifyOnSuccess = notifyOnSuccess;
    }

    public boolean isNotifyOnFailure() {
        return notifyOnFailure;
    }

    @DataBoundSetter
    public void setNotifyOnFailure(boolean notifyOnFailure) {
        this.notifyOnFailure = notifyOnFailure;
    }

    /** Whether an outcome is to be posted. */
    public boolean wants(boolean success) {
        return success ? notifyOnSuccess : notifyOnFailure;
    }

    public FieldCheck validate() {
        return ConfigValidation.webhookCredentials(webhookCredentialsId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiscordNotification d && Objects.equals(webhookCredentialsId, d.webhookCredentialsId)
                && notifyOnSuccess == d.notifyOnSuccess && notifyOnFailure == d.notifyOnFailure;
    }

    @Override
    public int hashCode() {
        return Objects.hash(webhookCredentialsId, notifyOnSuccess, notifyOnFailure);
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<DiscordNotification> {

        @Override
        public String getDisplayName() {
            return Messages.DiscordNotification_DisplayName();
        }

        public ListBoxModel doFillWebhookCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String webhookCredentialsId) {
            return CredentialsForms.fill(item, StringCredentials.class, webhookCredentialsId);
        }

        public FormValidation doCheckWebhookCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            FieldCheck required = ConfigValidation.webhookCredentials(value);
            if (required.isError()) {
                return CredentialsForms.toForm(required);
            }
            return CredentialsForms.check(item, StringCredentials.class, value,
                    Messages.Validation_SecretTextNotFound(value));
        }

        public FormValidation doCheckNotifyOnFailure(@QueryParameter boolean value,
                @QueryParameter boolean notifyOnSuccess) {
            return value || notifyOnSuccess ? FormValidation.ok() : FormValidation.warning(
                    Messages.Validation_NothingToNotify());
        }
    }
}
