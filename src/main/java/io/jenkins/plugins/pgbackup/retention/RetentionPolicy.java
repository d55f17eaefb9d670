package io.jenkins.plugins.pgbackup.retention;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which backups of a database to keep after a new one: the last N, those of the last D days, and
 * grandfather-father-son counts (the newest backup of each of the last N days, ISO weeks and months that have one).
 * A backup stays if any rule keeps it; the newest {@link #getMinimumKept() minimum} always stay, and so does the
 * backup just made. A policy without any rule keeps everything.
 *
 * <p>Every value may be unset, so policies layer: global, then the storage target's, then the step's, each set value
 * overriding the one before ({@link #overriddenBy}). Serializable with final fields: it crosses to the agent.
 */
public final class RetentionPolicy implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Backups always kept when {@code minimumKept} is unset: the one just made. */
    public static final int DEFAULT_MINIMUM_KEPT = 1;

    private static final RetentionPolicy NONE = new Builder().build();

    private final Integer keepLast;
    private final Integer keepDays;
    private final Integer keepDaily;
    private final Integer keepWeekly;
    private final Integer keepMonthly;
    private final Integer minimumKept;
    private final Boolean dryRun;
    private final Integer unfinishedGraceHours;

    private RetentionPolicy(Builder b) {
        this.keepLast = requireNotNegative(b.keepLast, "keepLast");
        this.keepDays = requireNotNegative(b.keepDays, "keepDays");
        this.keepDaily = requireNotNegative(b.keepDaily, "keepDaily");
        this.keepWeekly = requireNotNegative(b.keepWeekly, "keepWeekly");
        this.keepMonthly = requireNotNegative(b.keepMonthly, "keepMonthly");
        if (b.minimumKept != null && b.minimumKept < 1) {
            throw new IllegalArgumentException("minimumKept must be at least 1 (the backup just made), not "
                    + b.minimumKept);
        }
        this.minimumKept = b.minimumKept;
        this.dryRun = b.dryRun;
        if (b.unfinishedGraceHours != null && b.unfinishedGraceHours < Pruner.MINIMUM_GRACE_HOURS) {
            throw new IllegalArgumentException("unfinishedGraceHours must be at least " + Pruner.MINIMUM_GRACE_HOURS
                    + ", not " + b.unfinishedGraceHours);
        }
        this.unfinishedGraceHours = b.unfinishedGraceHours;
    }

    /** A policy with nothing set: keeps everything, and inherits everything when layered. */
    public static RetentionPolicy none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * This policy with every value that {@code specific} sets replaced by it: {@code global.overriddenBy(target)
     * .overriddenBy(step)}.
     */
    public RetentionPolicy overriddenBy(RetentionPolicy specific) {
        if (specific == null) {
            return this;
        }
        Builder b = new Builder();
        b.keepLast = first(specific.keepLast, keepLast);
        b.keepDays = first(specific.keepDays, keepDays);
        b.keepDaily = first(specific.keepDaily, keepDaily);
        b.keepWeekly = first(specific.keepWeekly, keepWeekly);
        b.keepMonthly = first(specific.keepMonthly, keepMonthly);
        b.minimumKept = first(specific.minimumKept, minimumKept);
        b.dryRun = first(specific.dryRun, dryRun);
        b.unfinishedGraceHours = first(specific.unfinishedGraceHours, unfinishedGraceHours);
        return new RetentionPolicy(b);
    }

    /** Layers policies from the most general to the most specific; {@code null}s are skipped. */
    public static RetentionPolicy merge(RetentionPolicy... generalToSpecific) {
        RetentionPolicy result = NONE;
        for (RetentionPolicy p : generalToSpecific) {
            result = result.overriddenBy(p);
        }
        return result;
    }

    /** Whether any keep rule is set; without one nothing is pruned. */
    public boolean hasRules() {
        return keepLast != null || keepDays != null || keepDaily != null || keepWeekly != null
                || keepMonthly != null;
    }

    /** Keep the newest N; {@code null} if unset. */
    public Integer getKeepLast() {
        return keepLast;
    }

    /** Keep those made in the last D days (D × 24 h before now); {@code null} if unset. */
    public Integer getKeepDays() {
        return keepDays;
    }

    /** Keep the newest of each of the last N UTC days that have a backup; {@code null} if unset. */
    public Integer getKeepDaily() {
        return keepDaily;
    }

    /** Keep the newest of each of the last N ISO weeks (UTC) that have a backup; {@code null} if unset. */
    public Integer getKeepWeekly() {
        return keepWeekly;
    }

    /** Keep the newest of each of the last N months (UTC) that have a backup; {@code null} if unset. */
    public Integer getKeepMonthly() {
        return keepMonthly;
    }

    /** How many of the newest backups stay whatever the rules say, the one just made included; at least 1. */
    public int getMinimumKept() {
        return minimumKept == null ? DEFAULT_MINIMUM_KEPT : minimumKept;
    }

    /** Whether pruning only reports what it would delete. */
    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    /**
     * How old leftovers of unfinished backups (dumps without manifest, manifests without dump) must be before they
     * are deleted; {@link Pruner#DEFAULT_UNFINISHED_GRACE} when unset. Applies with or without a keep rule.
     */
    public Duration getUnfinishedGrace() {
        return unfinishedGraceHours == null ? Pruner.DEFAULT_UNFINISHED_GRACE : Duration.ofHours(unfinishedGraceHours);
    }

    /** "keep last 7, 30 days, 7 daily, 4 weekly, 12 monthly; at least 1" for logs. */
    public String describe() {
        List<String> rules = new ArrayList<>();
        add(rules, keepLast, "last ");
        add(rules, keepDays, "", " days");
        add(rules, keepDaily, "", " daily");
        add(rules, keepWeekly, "", " weekly");
        add(rules, keepMonthly, "", " monthly");
        String kept = rules.isEmpty() ? "keep everything (no rule set)" : "keep " + String.join(", ", rules);
        return kept + "; at least " + getMinimumKept() + (isDryRun() ? "; dry run" : "")
                + (unfinishedGraceHours == null ? "" : "; leftovers after " + unfinishedGraceHours + " h");
    }

    private static void add(List<String> rules, Integer value, String before) {
        add(rules, value, before, "");
    }

    private static void add(List<String> rules, Integer value, String before, String after) {
        if (value != null) {
            rules.add(before + value + after);
        }
    }

    private static <T> T first(T specific, T general) {
        return specific != null ? specific : general;
    }

    private static Integer requireNotNegative(Integer value, String name) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, not " + value);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetentionPolicy p && Objects.equals(p.keepLast, keepLast)
                && Objects.equals(p.keepDays, keepDays) && Objects.equals(p.keepDaily, keepDaily)
                && Objects.equals(p.keepWeekly, keepWeekly) && Objects.equals(p.keepMonthly, keepMonthly)
                && Objects.equals(p.minimumKept, minimumKept) && Objects.equals(p.dryRun, dryRun)
                && Objects.equals(p.unfinishedGraceHours, unfinishedGraceHours);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keepLast, keepDays, keepDaily, keepWeekly, keepMonthly, minimumKept, dryRun,
                unfinishedGraceHours);
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Sets values; {@code null} leaves one unset (inherited when layered). */
    public static final class Builder {
        private Integer keepLast;
        private Integer keepDays;
        private Integer keepDaily;
        private Integer keepWeekly;
        private Integer keepMonthly;
        private Integer minimumKept;
        private Boolean dryRun;
        private Integer unfinishedGraceHours;

        private Builder() {}

        public Builder keepLast(Integer n) {
            this.keepLast = n;
            return this;
        }

        public Builder keepDays(Integer days) {
            this.keepDays = days;
            return this;
        }

        public Builder keepDaily(Integer n) {
            this.keepDaily = n;
            return this;
        }

        public Builder keepWeekly(Integer n) {
            this.keepWeekly = n;
            return this;
        }

        public Builder keepMonthly(Integer n) {
            this.keepMonthly = n;
            return this;
        }

        public Builder minimumKept(Integer n) {
            this.minimumKept = n;
            return this;
        }

        public Builder dryRun(Boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** Hours before leftovers of unfinished backups are deleted; at least {@value Pruner#MINIMUM_GRACE_HOURS}. */
        public Builder unfinishedGraceHours(Integer hours) {
            this.unfinishedGraceHours = hours;
            return this;
        }

        /** @throws IllegalArgumentException for a negative count, a minimum below 1 or a grace below 1 hour */
        public RetentionPolicy build() {
            return new RetentionPolicy(this);
        }
    }
}
