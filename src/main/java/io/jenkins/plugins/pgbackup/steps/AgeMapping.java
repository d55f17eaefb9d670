package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.config.Text;
import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Which age keys a backup encrypts for and a restore decrypts with: the step's over the storage target's, resolved
 * on the controller. Recipients are public; the identity is a secret that crosses to the agent inside the plan and is
 * masked in the log. Jenkins-free apart from {@link AbortException}, so every rule is unit-tested.
 */
final class AgeMapping {
    private AgeMapping() {}

    /**
     * The step's recipients (field and credential) if it gives any, else the target's; empty: no encryption.
     *
     * @throws AbortException when a recipient is invalid or a credential is missing
     */
    static List<String> recipients(BackupOptions o, StorageTarget target, String storageLabel,
            CredentialLookup credentials) throws AbortException {
        boolean fromStep = o.getAgeRecipients() != null || o.getAgeRecipientsCredentialsId() != null;
        String text = fromStep ? o.getAgeRecipients() : target == null ? null : target.getAgeRecipients();
        String id = fromStep ? o.getAgeRecipientsCredentialsId()
                : target == null ? null : target.getAgeRecipientsCredentialsId();
        String where = fromStep ? "the step" : storageLabel;
        LinkedHashSet<String> all = new LinkedHashSet<>(parse(text, where));
        if (id != null) {
            all.addAll(parse(credentials.secretText(id, Messages.Purpose_AgeRecipients(where)),
                    "credential '" + id + "'"));
        }
        return List.copyOf(all);
    }

    private static List<String> parse(String text, String where) throws AbortException {
        try {
            return AgeKeys.parseRecipients(text);
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.Mapping_AgeRecipients(where, e.getMessage()));
        }
    }

    /**
     * The identity text (secret) of the step's credential, else the target's; {@code null} when neither is set.
     *
     * @throws AbortException when the credential is missing or holds no valid identity (its content never shown)
     */
    static String identity(RestoreOptions o, StorageTarget target, String storageLabel, CredentialLookup credentials)
            throws AbortException {
        String id = o.getAgeIdentityCredentialsId() != null ? o.getAgeIdentityCredentialsId()
                : target == null ? null : target.getAgeIdentityCredentialsId();
        if (id == null) {
            return null;
        }
        String secret = credentials.secretText(id, Messages.Purpose_AgeIdentity(storageLabel));
        try {
            AgeKeys.parseIdentities(secret);
        } catch (IllegalArgumentException e) {
            throw new AbortException(Messages.Mapping_AgeIdentity(id, e.getMessage()));
        }
        return Text.trimToNull(secret);
    }

    /** The identity as the log must never show it: the whole text, each key, and each key in upper case. */
    static List<String> identitySecrets(String identity) {
        List<String> out = new ArrayList<>();
        if (identity == null) {
            return out;
        }
        out.add(identity);
        for (String line : identity.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l);
                out.add(l.toUpperCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }
}
