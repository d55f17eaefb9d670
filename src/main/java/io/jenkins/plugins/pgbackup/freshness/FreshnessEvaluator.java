package io.jenkins.plugins.pgbackup.freshness;

import io.jenkins.plugins.pgbackup.catalog.DatabaseBackups;
import io.jenkins.plugins.pgbackup.catalog.TargetListing;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import java.time.Duration;
import java.time.Instant;

/** Judges one rule against what its storage target holds. Pure: no storage access, no clock of its own. */
public final class FreshnessEvaluator {
    private FreshnessEvaluator() {}

    /**
     * @param listing the rule's target as read at this check, or {@code null} if no such target is configured
     * @param now the check's time
     */
    public static FreshnessStatus evaluate(FreshnessRule rule, TargetListing listing, Instant now) {
        if (listing == null) {
            return new FreshnessStatus(rule, FreshnessState.UNKNOWN, null, null, "there is no storage target named '"
                    + rule.target() + "'", now);
        }
        if (listing.isFailed()) {
            return new FreshnessStatus(rule, FreshnessState.UNKNOWN, null, null, "storage target '" + rule.target()
                    + "' could not be read: " + listing.getError(), now);
        }
        DatabaseBackups folder = listing.folder(rule.folder());
        BackupObject newest = folder == null ? null : folder.getNewest();
        if (newest == null) {
            String why = folder == null || folder.getProblem() == null ? "no backup of '" + rule.database()
                    + "' in " + listing.getLocation() : folder.getProblem();
            return new FreshnessStatus(rule, FreshnessState.MISSING, null, null, why, now);
        }
        Instant made = newest.getMetadata().getTimestamp();
        Duration age = Duration.between(made, now);
        if (age.compareTo(rule.maxAge()) > 0) {
            return new FreshnessStatus(rule, FreshnessState.STALE, newest, age, "the newest backup of '"
                    + rule.database() + "' is " + Ages.describe(age) + " old, more than the "
                    + Ages.describe(rule.maxAge()) + " allowed (" + newest.getKey() + ")", now);
        }
        return new FreshnessStatus(rule, FreshnessState.FRESH, newest, age, "the newest backup of '"
                + rule.database() + "' is " + Ages.describe(age) + " old (" + newest.getKey() + ")", now);
    }
}
