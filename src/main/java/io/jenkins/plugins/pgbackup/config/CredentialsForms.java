package io.jenkins.plugins.pgbackup.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Credential drop-downs and checks, following the credentials plugin's consumer guide (docs/consumer.adoc): users who
 * could not choose credentials only see the current value, nothing is listed for them.
 *
 * <p>Listing uses {@code ACL.SYSTEM2}, the authentication jobs run as unless an authorization plugin says otherwise;
 * the guide's {@code Tasks.getAuthenticationOf2} for jobs is not available to this build.
 */
public final class CredentialsForms {
    private CredentialsForms() {}

    /**
     * @param item the job being configured, or {@code null} on the global configuration page
     * @param type the credentials type to list
     * @param current the current value, kept even if the credentials are gone
     */
    public static ListBoxModel fill(Item item, Class<? extends StandardCredentials> type, String currentValue) {
        String current = currentValue == null ? "" : currentValue;
        StandardListBoxModel result = new StandardListBoxModel();
        if (!mayList(item)) {
            return result.includeCurrentValue(current);
        }
        if (item == null) {
            return result.includeEmptyValue()
                    .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), type, List.of(), CredentialsMatchers.always())
                    .includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(ACL.SYSTEM2, item, type, List.of(), CredentialsMatchers.always())
                .includeCurrentValue(current);
    }

    /**
     * An error when the id names no credentials of that type; OK for users who may not list credentials (they learn
     * nothing) and for blank values (the required check reports those).
     */
    public static FormValidation check(Item item, Class<? extends StandardCredentials> type, String value,
            String notFoundMessage) {
        String id = Text.trimToNull(value);
        if (id == null || !mayList(item)) {
            return FormValidation.ok();
        }
        ListBoxModel found = item == null
                ? CredentialsProvider.listCredentialsInItemGroup(type, Jenkins.get(), ACL.SYSTEM2, List.of(),
                        CredentialsMatchers.withId(id))
                : CredentialsProvider.listCredentialsInItem(type, item, ACL.SYSTEM2, List.of(),
                        CredentialsMatchers.withId(id));
        return found.isEmpty() ? FormValidation.error(notFoundMessage) : FormValidation.ok();
    }

    private static boolean mayList(Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    /** A {@link FieldCheck} as the form shows it; messages are escaped by {@code FormValidation}. */
    public static FormValidation toForm(FieldCheck check) {
        return switch (check.kind()) {
            case ERROR -> FormValidation.error(check.message());
            case WARNING -> FormValidation.warning(check.message());
            case OK -> check.message() == null ? FormValidation.ok() : FormValidation.ok(check.message());
        };
    }
}
