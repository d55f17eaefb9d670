package io.jenkins.plugins.pgbackup.steps;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.pgbackup.config.ConfigValidation;
import io.jenkins.plugins.pgbackup.config.CredentialsForms;
import io.jenkins.plugins.pgbackup.config.FieldCheck;
import io.jenkins.plugins.pgbackup.config.FormNumbers;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.StorageProvider;
import io.jenkins.plugins.pgbackup.config.Text;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The form methods the Pipeline steps' and the build steps' descriptors share (Stapler needs them on each descriptor,
 * so the descriptors delegate here).
 */
final class StepForms {
    private StepForms() {}

    /** Configured connection names, with an empty choice for an inline database. */
    static ListBoxModel connections() {
        ListBoxModel items = new ListBoxModel();
        items.add("", "");
        for (String n : PgBackupGlobalConfiguration.get().getConnectionNames()) {
            items.add(n, n);
        }
        return items;
    }

    /** Configured storage target names, with an empty choice for an inline bucket. */
    static ListBoxModel storageTargets() {
        ListBoxModel items = new ListBoxModel();
        items.add("", "");
        for (String n : PgBackupGlobalConfiguration.get().getStorageTargetNames()) {
            items.add(n, n);
        }
        return items;
    }

    /** Inline storage's access: blank (agent, as before), controller, agent. */
    static ListBoxModel storageAccess() {
        ListBoxModel items = new ListBoxModel();
        items.add("", "");
        items.add(Messages.Forms_StorageAccessController(), "controller");
        items.add(Messages.Forms_StorageAccessAgent(), "agent");
        return items;
    }

    static ListBoxModel usernamePasswords(Item item, String current) {
        return CredentialsForms.fill(item, StandardUsernamePasswordCredentials.class, current);
    }

    /** Credentials are optional on the form (a configured connection has its own); when given they must exist. */
    static FormValidation checkUsernamePassword(Item item, String value) {
        return CredentialsForms.check(item, StandardUsernamePasswordCredentials.class, value,
                io.jenkins.plugins.pgbackup.config.Messages.Validation_CredentialsNotFound(value));
    }

    static ListBoxModel secretTexts(Item item, String current) {
        return CredentialsForms.fill(item, StringCredentials.class, current);
    }

    /** Optional Secret text credentials: blank is fine; when given they must exist. */
    static FormValidation checkSecretText(Item item, String value) {
        if (Text.trimToNull(value) == null) {
            return FormValidation.ok();
        }
        return CredentialsForms.check(item, StringCredentials.class, value,
                io.jenkins.plugins.pgbackup.config.Messages.Validation_CredentialsNotFound(value));
    }

    /** Inline fields are optional (a configured name may be used instead): blank is fine, anything else is checked. */
    static FormValidation optional(String value, FieldCheck check) {
        return Text.trimToNull(value) == null ? FormValidation.ok() : CredentialsForms.toForm(check);
    }

    static FormValidation host(String value) {
        return optional(value, ConfigValidation.host(value));
    }

    static FormValidation port(String value) {
        return optional(value, ConfigValidation.port(FormNumbers.parse(value, 0)));
    }

    static FormValidation bucket(String value) {
        return optional(value, ConfigValidation.bucket(value));
    }

    static FormValidation prefix(String value) {
        return optional(value, ConfigValidation.prefix(value));
    }

    static FormValidation endpoint(String value) {
        return optional(value, ConfigValidation.endpoint(value, StorageProvider.inferFromEndpoint(value)));
    }

    static FormValidation region(String value, String endpoint) {
        return optional(value, ConfigValidation.region(value, StorageProvider.inferFromEndpoint(endpoint)));
    }

    static FormValidation jobs(String value) {
        return optional(value, ConfigValidation.jobs(FormNumbers.parseOrNull(value)));
    }

    static FormValidation timeoutMinutes(String value) {
        return optional(value, ConfigValidation.timeoutMinutes(FormNumbers.parse(value, 0)));
    }

    static FormValidation retentionCount(String value) {
        return optional(value, ConfigValidation.retentionCount(FormNumbers.parseOrNull(value)));
    }

    static FormValidation minKept(String value) {
        return optional(value, ConfigValidation.minKept(FormNumbers.parseOrNull(value)));
    }

    /** A key, or nothing when {@code latest} is given; both or neither is an error. */
    static FormValidation keyOrLatest(String key, String latest) {
        boolean hasKey = Text.trimToNull(key) != null;
        boolean hasLatest = latest != null && !latest.isBlank();
        if (hasKey && hasLatest) {
            return FormValidation.error(Messages.Mapping_KeyAndLatest());
        }
        if (!hasKey && !hasLatest) {
            return FormValidation.error(Messages.Mapping_KeyOrLatest());
        }
        return optional(key, ConfigValidation.prefix(key));
    }
}
