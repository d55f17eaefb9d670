package io.jenkins.plugins.pgbackup.config;

import java.util.List;

/** Checks of a connection's freshness alarm settings: a maximum backup age and the storage target to look in. */
public final class FreshnessValidation {
    /** A year: beyond that an alarm says nothing useful. */
    public static final int MAX_HOURS = 24 * 366;

    private FreshnessValidation() {}

    public static FieldCheck maxBackupAge(int hours, String storage) {
        if (hours < 0 || hours > MAX_HOURS) {
            return FieldCheck.error(Messages.Freshness_HoursRange(MAX_HOURS));
        }
        boolean storageSet = Text.trimToNull(storage) != null;
        if (hours > 0 && !storageSet) {
            return FieldCheck.error(Messages.Freshness_StorageRequired());
        }
        if (hours == 0 && storageSet) {
            return FieldCheck.warning(Messages.Freshness_Off());
        }
        return FieldCheck.ok();
    }

    /** @param targets the configured storage targets' names */
    public static FieldCheck storage(String storage, int hours, List<String> targets) {
        String s = Text.trimToNull(storage);
        if (s == null) {
            return hours > 0 ? FieldCheck.error(Messages.Freshness_StorageRequired()) : FieldCheck.ok();
        }
        return targets.contains(s) ? FieldCheck.ok() : FieldCheck.error(Messages.Freshness_StorageUnknown(s));
    }
}
