package io.jenkins.plugins.pgbackup.config;

import java.util.Locale;

/**
 * Who talks to the bucket with the target's keys. With {@link #CONTROLLER_SIGNS} the keys never leave the controller:
 * it creates, completes, checks and deletes, and hands the agent short-lived presigned URLs for exactly the parts of the
 * one object a backup writes, or the one object (and its globals) a restore reads. With {@link #AGENT_KEYS} the agent
 * that runs the clients gets the keys, as before; that is for controllers that cannot reach the bucket.
 */
public enum StorageAccess {
    /** The default for new targets: the controller already reaches the bucket for the Backups page and the alarm. */
    CONTROLLER_SIGNS,
    /** The agent holds the keys: what every target saved before this setting existed keeps doing. */
    AGENT_KEYS;

    public String getDisplayName() {
        return switch (this) {
            case CONTROLLER_SIGNS -> Messages.StorageAccess_CONTROLLER_SIGNS();
            case AGENT_KEYS -> Messages.StorageAccess_AGENT_KEYS();
        };
    }

    /** Blank means {@code fallback}; names are accepted in any case, with {@code -} for {@code _}. */
    public static StorageAccess fromName(String text, StorageAccess fallback) {
        String t = Text.trimToNull(text);
        if (t == null) {
            return fallback;
        }
        String n = t.toUpperCase(Locale.ROOT).replace('-', '_');
        return switch (n) {
            case "CONTROLLER", "CONTROLLER_SIGNS" -> CONTROLLER_SIGNS;
            case "AGENT", "AGENT_KEYS" -> AGENT_KEYS;
            default -> throw new IllegalArgumentException("Storage access must be 'controller' or 'agent', not '"
                    + t + "'");
        };
    }
}
