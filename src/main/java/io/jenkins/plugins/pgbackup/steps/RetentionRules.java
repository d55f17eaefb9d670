package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.RetentionSettings;
import io.jenkins.plugins.pgbackup.retention.Pruner;
import io.jenkins.plugins.pgbackup.retention.RetentionPolicy;
import java.io.Serial;
import java.io.Serializable;

/**
 * Retention after merging the global settings, the storage target's and the step's: for each rule the most specific
 * level that sets it wins, 0 switches it off. Dry run is on when any level asks for it.
 *
 * @param keepLast keep the newest N backups, {@code null} for no such rule
 * @param keepDays keep backups younger than D days
 * @param keepDaily grandfather-father-son: the newest backup of each of the last N days
 * @param keepWeekly ... of each of the last N ISO weeks
 * @param keepMonthly ... of each of the last N months
 * @param minKept never fewer than this many successful backups, the new one included
 * @param unfinishedGraceHours hours before leftovers of unfinished backups are deleted (with or without rules)
 */
public record RetentionRules(Integer keepLast, Integer keepDays, Integer keepDaily, Integer keepWeekly,
        Integer keepMonthly, int minKept, boolean dryRun, int unfinishedGraceHours) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MIN_KEPT = 1;
    public static final int DEFAULT_UNFINISHED_GRACE_HOURS = (int) Pruner.DEFAULT_UNFINISHED_GRACE.toHours();

    /** No rule at all: nothing is pruned. */
    public boolean isEmpty() {
        return keepLast == null && keepDays == null && keepDaily == null && keepWeekly == null && keepMonthly == null;
    }

    /** The step's own values, in the same shape as the configured levels. */
    public static RetentionSettings fromStep(BackupOptions o) {
        RetentionSettings s = new RetentionSettings();
        s.setKeepLast(o.getKeepLast());
        s.setKeepDays(o.getKeepDays());
        s.setKeepDaily(o.getKeepDaily());
        s.setKeepWeekly(o.getKeepWeekly());
        s.setKeepMonthly(o.getKeepMonthly());
        s.setMinKept(o.getMinKept());
        s.setDryRun(o.isRetentionDryRun());
        return s;
    }

    /** Merges from the least specific level to the most specific one; {@code null} levels are skipped. */
    public static RetentionRules merge(RetentionSettings... levels) {
        Integer last = null;
        Integer days = null;
        Integer daily = null;
        Integer weekly = null;
        Integer monthly = null;
        Integer min = null;
        Integer grace = null;
        boolean dry = false;
        for (RetentionSettings l : levels) {
            if (l == null) {
                continue;
            }
            last = l.getKeepLast() != null ? l.getKeepLast() : last;
            days = l.getKeepDays() != null ? l.getKeepDays() : days;
            daily = l.getKeepDaily() != null ? l.getKeepDaily() : daily;
            weekly = l.getKeepWeekly() != null ? l.getKeepWeekly() : weekly;
            monthly = l.getKeepMonthly() != null ? l.getKeepMonthly() : monthly;
            min = l.getMinKept() != null ? l.getMinKept() : min;
            grace = l.getUnfinishedGraceHours() != null ? l.getUnfinishedGraceHours() : grace;
            dry |= l.isDryRun();
        }
        return new RetentionRules(offIfZero(last), offIfZero(days), offIfZero(daily), offIfZero(weekly),
                offIfZero(monthly), min == null ? DEFAULT_MIN_KEPT : Math.max(1, min), dry, grace(grace));
    }

    /** The default when no level sets it; never below the minimum, as the engine would refuse it. */
    private static int grace(Integer hours) {
        return hours == null ? DEFAULT_UNFINISHED_GRACE_HOURS : Math.max(Pruner.MINIMUM_GRACE_HOURS, hours);
    }

    private static Integer offIfZero(Integer i) {
        return i == null || i == 0 ? null : i;
    }

    /** The engine's policy: already merged, so nothing is left to inherit. */
    public RetentionPolicy toPolicy() {
        return RetentionPolicy.builder().keepLast(keepLast).keepDays(keepDays).keepDaily(keepDaily)
                .keepWeekly(keepWeekly).keepMonthly(keepMonthly).minimumKept(minKept).dryRun(dryRun).unfinishedGraceHours(unfinishedGraceHours)
                .build();
    }
}
