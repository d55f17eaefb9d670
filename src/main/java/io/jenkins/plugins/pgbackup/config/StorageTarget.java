package io.jenkins.plugins.pgbackup.config;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;
import java.util.Objects;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A bucket (and prefix) on Amazon S3, Cloudflare R2 or another S3-compatible service that backups go to. The access
 * key id and secret key are a username-with-password credential; only its id is kept here. Without one (Amazon S3
 * only) the agent's own AWS credentials apply.
 */
public final class StorageTarget implements Describable<StorageTarget> {

    private final String name;
    private final String bucket;
    private final String credentialsId;
    private StorageProvider provider = StorageProvider.AMAZON_S3;
    private String prefix;
    private String endpoint;
    private String region;
    private boolean pathStyle;
    private ChecksumMode checksumMode = ChecksumMode.AUTO;
    /** {@code null} in a target saved before the setting existed: those keep handing the agent the keys. */
    private StorageAccess access;
    private RetentionSettings retention;
    private String ageRecipients;
    private String ageRecipientsCredentialsId;
    private String ageIdentityCredentialsId;

    @DataBoundConstructor
    public StorageTarget(String name, String bucket, String credentialsId) {
        this.name = Text.trimToNull(name);
        this.bucket = Text.trimToNull(bucket);
        this.credentialsId = Text.trimToNull(credentialsId);
        this.access = StorageAccess.CONTROLLER_SIGNS;
    }

    public String getName() {
        return name;
    }

    public String getBucket() {
        return bucket;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public StorageProvider getProvider() {
        return provider;
    }

    @DataBoundSetter
    public void setProvider(StorageProvider provider) {
        this.provider = provider == null ? StorageProvider.AMAZON_S3 : provider;
    }

    /** Without leading or trailing slashes; {@code null} for the bucket's root. */
    public String getPrefix() {
        return prefix;
    }

    @DataBoundSetter
    public void setPrefix(String prefix) {
        this.prefix = normalizePrefix(prefix);
    }

    public String getEndpoint() {
        return endpoint;
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        this.endpoint = Text.trimToNull(endpoint);
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = Text.trimToNull(region);
    }

    public boolean isPathStyle() {
        return pathStyle;
    }

    @DataBoundSetter
    public void setPathStyle(boolean pathStyle) {
        this.pathStyle = pathStyle;
    }

    public ChecksumMode getChecksumMode() {
        return checksumMode;
    }

    @DataBoundSetter
    public void setChecksumMode(ChecksumMode checksumMode) {
        this.checksumMode = checksumMode == null ? ChecksumMode.AUTO : checksumMode;
    }

    /** Who uses the keys; targets saved before the setting existed answer {@link StorageAccess#AGENT_KEYS}. */
    public StorageAccess getAccess() {
        return access == null ? StorageAccess.AGENT_KEYS : access;
    }

    /** {@code null} (a form or YAML without it) is the default for new targets, {@link StorageAccess#CONTROLLER_SIGNS}. */
    @DataBoundSetter
    public void setAccess(StorageAccess access) {
        this.access = access == null ? StorageAccess.CONTROLLER_SIGNS : access;
    }

    /** Retention for this target, over the global one; {@code null} inherits everything. */
    public RetentionSettings getRetention() {
        return retention;
    }

    @DataBoundSetter
    public void setRetention(RetentionSettings retention) {
        this.retention = retention;
    }

    /** age recipients (public keys), one per line; backups to this target are encrypted for them. */
    public String getAgeRecipients() {
        return ageRecipients;
    }

    @DataBoundSetter
    public void setAgeRecipients(String ageRecipients) {
        this.ageRecipients = Text.trimToNull(ageRecipients);
    }

    /** A Secret text credential holding more recipients (public keys), for those who keep them out of the form. */
    public String getAgeRecipientsCredentialsId() {
        return ageRecipientsCredentialsId;
    }

    @DataBoundSetter
    public void setAgeRecipientsCredentialsId(String ageRecipientsCredentialsId) {
        this.ageRecipientsCredentialsId = Text.trimToNull(ageRecipientsCredentialsId);
    }

    /** A Secret text credential holding the age identity that restores from this target decrypt with. */
    public String getAgeIdentityCredentialsId() {
        return ageIdentityCredentialsId;
    }

    @DataBoundSetter
    public void setAgeIdentityCredentialsId(String ageIdentityCredentialsId) {
        this.ageIdentityCredentialsId = Text.trimToNull(ageIdentityCredentialsId);
    }

    /** "a/b/" and "/a/b" are both "a/b": keys are built as prefix + "/" + database + "/" + file. */
    static String normalizePrefix(String prefix) {
        String p = Text.trimToNull(prefix);
        if (p == null) {
            return null;
        }
        int start = 0;
        int end = p.length();
        while (start < end && p.charAt(start) == '/') {
            start++;
        }
        while (end > start && p.charAt(end - 1) == '/') {
            end--;
        }
        return start == end ? null : p.substring(start, end);
    }

    /** Every field checked; the first error, if any. */
    public FieldCheck validate() {
        FieldCheck retentionCheck = retention == null ? FieldCheck.ok() : retention.validate();
        return ConfigValidation.worst(List.of(ConfigValidation.name(name), ConfigValidation.bucket(bucket),
                ConfigValidation.prefix(prefix), ConfigValidation.endpoint(endpoint, provider),
                ConfigValidation.region(region, provider), ConfigValidation.storageCredentials(credentialsId, provider),
                ConfigValidation.ageRecipients(ageRecipients), retentionCheck));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StorageTarget t && pathStyle == t.pathStyle && Objects.equals(name, t.name)
                && Objects.equals(bucket, t.bucket) && Objects.equals(credentialsId, t.credentialsId)
                && provider == t.provider && getAccess() == t.getAccess() && Objects.equals(prefix, t.prefix) && Objects.equals(endpoint, t.endpoint)
                && Objects.equals(region, t.region) && checksumMode == t.checksumMode
                && Objects.equals(retention, t.retention) && Objects.equals(ageRecipients, t.ageRecipients)
                && Objects.equals(ageRecipientsCredentialsId, t.ageRecipientsCredentialsId)
                && Objects.equals(ageIdentityCredentialsId, t.ageIdentityCredentialsId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, bucket, prefix, endpoint);
    }

    @Override
    public String toString() {
        return name + " (" + bucket + (prefix == null ? "" : "/" + prefix) + ")";
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<StorageTarget> {

        @Override
        public String getDisplayName() {
            return Messages.StorageTarget_DisplayName();
        }

        public FormValidation doCheckName(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.name(value));
        }

        public FormValidation doCheckBucket(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.bucket(value));
        }

        public FormValidation doCheckPrefix(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.prefix(normalizePrefix(value)));
        }

        public FormValidation doCheckEndpoint(@QueryParameter String value, @QueryParameter String provider) {
            return CredentialsForms.toForm(ConfigValidation.endpoint(value, providerOrDefault(provider)));
        }

        public FormValidation doCheckRegion(@QueryParameter String value, @QueryParameter String provider) {
            return CredentialsForms.toForm(ConfigValidation.region(value, providerOrDefault(provider)));
        }

        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialsForms.fill(item, StandardUsernamePasswordCredentials.class, credentialsId);
        }

        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value,
                @QueryParameter String provider) {
            FieldCheck required = ConfigValidation.storageCredentials(value, providerOrDefault(provider));
            if (Text.trimToNull(value) == null) {
                return CredentialsForms.toForm(required);
            }
            return CredentialsForms.check(item, StandardUsernamePasswordCredentials.class, value,
                    Messages.Validation_CredentialsNotFound(value));
        }

        public FormValidation doCheckAgeRecipients(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.ageRecipients(value));
        }

        public ListBoxModel doFillAgeRecipientsCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String ageRecipientsCredentialsId) {
            return CredentialsForms.fill(item, StringCredentials.class, ageRecipientsCredentialsId);
        }

        public FormValidation doCheckAgeRecipientsCredentialsId(@AncestorInPath Item item,
                @QueryParameter String value) {
            return checkSecretText(item, value);
        }

        public ListBoxModel doFillAgeIdentityCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String ageIdentityCredentialsId) {
            return CredentialsForms.fill(item, StringCredentials.class, ageIdentityCredentialsId);
        }

        public FormValidation doCheckAgeIdentityCredentialsId(@AncestorInPath Item item,
                @QueryParameter String value) {
            return checkSecretText(item, value);
        }

        private static FormValidation checkSecretText(Item item, String value) {
            if (Text.trimToNull(value) == null) {
                return FormValidation.ok();
            }
            return CredentialsForms.check(item, StringCredentials.class, value,
                    Messages.Validation_CredentialsNotFound(value));
        }

        /** Puts, reads back and deletes a small probe object, from the controller. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String provider, @QueryParameter String bucket,
                @QueryParameter String prefix, @QueryParameter String endpoint, @QueryParameter String region,
                @QueryParameter boolean pathStyle, @QueryParameter String checksumMode,
                @QueryParameter String credentialsId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            StorageTarget t = new StorageTarget("test", bucket, credentialsId);
            t.setProvider(providerOrDefault(provider));
            t.setPrefix(prefix);
            t.setEndpoint(endpoint);
            t.setRegion(region);
            t.setPathStyle(pathStyle);
            t.setChecksumMode(checksumModeOrDefault(checksumMode));
            return ConnectionTests.storage(t);
        }

        private static StorageProvider providerOrDefault(String provider) {
            try {
                return StorageProvider.fromName(provider);
            } catch (IllegalArgumentException e) {
                return StorageProvider.AMAZON_S3;
            }
        }

        private static ChecksumMode checksumModeOrDefault(String mode) {
            try {
                return ChecksumMode.fromName(mode);
            } catch (IllegalArgumentException e) {
                return ChecksumMode.AUTO;
            }
        }
    }
}
