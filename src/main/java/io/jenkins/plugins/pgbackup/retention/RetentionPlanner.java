package io.jenkins.plugins.pgbackup.retention;

import io.jenkins.plugins.pgbackup.storage.BackupObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides which backups of one database stay, from their {@code timestamp} metadata alone: no I/O, no clock but the
 * {@code now} it is given. Days, weeks and months are UTC, like the timestamps.
 */
public final class RetentionPlanner {
    private static final Comparator<BackupObject> NEWEST_FIRST = Comparator
            .comparing((BackupObject b) -> b.getMetadata().getTimestamp()).reversed()
            .thenComparing(BackupObject::getKey, Comparator.reverseOrder());

    private RetentionPlanner() {}

    /**
     * @param backups one database's complete backups (from {@link io.jenkins.plugins.pgbackup.storage.BackupCatalog})
     * @param protectedKey the backup just made, kept whatever the rules say; may be {@code null}
     */
    public static RetentionPlan plan(List<BackupObject> backups, RetentionPolicy policy, Instant now,
            String protectedKey) {
        List<BackupObject> sorted = new ArrayList<>(backups);
        sorted.forEach(b -> Objects.requireNonNull(b.getMetadata().getTimestamp(), "timestamp of " + b.getKey()));
        sorted.sort(NEWEST_FIRST);
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        sorted.forEach(b -> reasons.put(b.getKey(), new ArrayList<>()));

        if (protectedKey != null && reasons.containsKey(protectedKey)) {
            reasons.get(protectedKey).add("the backup just made");
        }
        if (!policy.hasRules()) {
            sorted.forEach(b -> reasons.get(b.getKey()).add("no retention rule set"));
        }
        keepNewest(sorted, reasons, policy.getKeepLast(), "last " + policy.getKeepLast());
        keepRecent(sorted, reasons, policy.getKeepDays(), now);
        keepPerPeriod(sorted, reasons, policy.getKeepDaily(), "daily ", t -> LocalDate.ofInstant(t, ZoneOffset.UTC)
                .toString());
        keepPerPeriod(sorted, reasons, policy.getKeepWeekly(), "weekly ", RetentionPlanner::isoWeek);
        keepPerPeriod(sorted, reasons, policy.getKeepMonthly(), "monthly ",
                t -> YearMonth.from(t.atZone(ZoneOffset.UTC)).toString());
        keepNewest(sorted, reasons, policy.getMinimumKept(), "minimum of " + policy.getMinimumKept() + " kept");

        List<RetentionPlan.Decision> keep = new ArrayList<>();
        List<RetentionPlan.Decision> delete = new ArrayList<>();
        for (BackupObject b : sorted) {
            List<String> why = reasons.get(b.getKey());
            if (why.isEmpty()) {
                delete.add(new RetentionPlan.Decision(b, List.of("no rule keeps it (" + policy.describe() + ")")));
            } else {
                keep.add(new RetentionPlan.Decision(b, why));
            }
        }
        return new RetentionPlan(keep, delete);
    }

    private static void keepNewest(List<BackupObject> sorted, Map<String, List<String>> reasons, Integer n,
            String reason) {
        if (n == null) {
            return;
        }
        sorted.stream().limit(n).forEach(b -> reasons.get(b.getKey()).add(reason));
    }

    private static void keepRecent(List<BackupObject> sorted, Map<String, List<String>> reasons, Integer days,
            Instant now) {
        if (days == null) {
            return;
        }
        Instant cutoff = now.minus(Duration.ofDays(days));
        for (BackupObject b : sorted) {
            if (!b.getMetadata().getTimestamp().isBefore(cutoff)) {
                reasons.get(b.getKey()).add("within " + days + " days");
            }
        }
    }

    /** The newest backup of each of the {@code n} newest periods that have one. */
    private static void keepPerPeriod(List<BackupObject> sorted, Map<String, List<String>> reasons, Integer n,
            String label, Function<Instant, String> period) {
        if (n == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (BackupObject b : sorted) {
            if (seen.size() >= n) {
                return;
            }
            String p = period.apply(b.getMetadata().getTimestamp());
            if (seen.add(p)) {
                reasons.get(b.getKey()).add(label + p);
            }
        }
    }

    private static String isoWeek(Instant t) {
        LocalDate d = LocalDate.ofInstant(t, ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR),
                d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
