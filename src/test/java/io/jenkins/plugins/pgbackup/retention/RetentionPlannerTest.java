package io.jenkins.plugins.pgbackup.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {
    private static final Instant NOW = Instant.parse("2025-11-17T15:00:00Z");

    private static BackupObject backup(Instant t) {
        BackupMetadata m = BackupMetadata.builder("db", t).build().withContent(1, "0".repeat(64));
        return new BackupObject(BackupKeys.key("p", "db", t, "dump"), 1, NOW, "\"e\"", m);
    }

    /** One backup a day at 02:00 UTC for {@code days} days, newest first, shuffled to show order does not matter. */
    private static List<BackupObject> daily(int days) {
        List<BackupObject> list = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            list.add(backup(Instant.parse("2025-11-17T02:00:00Z").minus(Duration.ofDays(i))));
        }
        Collections.shuffle(list, new java.util.Random(42));
        return list;
    }

    private static Set<String> timestamps(List<RetentionPlan.Decision> decisions) {
        Set<String> s = new TreeSet<>();
        decisions.forEach(d -> s.add(d.getBackup().getMetadata().getTimestampText()));
        return s;
    }

    private static RetentionPlan plan(List<BackupObject> backups, RetentionPolicy policy) {
        return RetentionPlanner.plan(backups, policy, NOW, null);
    }

    @Test
    void keepLastKeepsTheNewestN() {
        RetentionPlan p = plan(daily(10), RetentionPolicy.builder().keepLast(3).build());

        assertEquals(Set.of("20251117_020000", "20251116_020000", "20251115_020000"), timestamps(p.getKeep()));
        assertEquals(7, p.getDelete().size());
        assertTrue(p.getKeep().get(0).getReasons().contains("last 3"));
    }

    @Test
    void keepDaysKeepsWhatIsYoungerThanDDays() {
        RetentionPlan p = plan(daily(10), RetentionPolicy.builder().keepDays(2).build());

        // now is 15:00; two days back is the 15th at 15:00, so the 15th's 02:00 backup is older
        assertEquals(Set.of("20251117_020000", "20251116_020000"), timestamps(p.getKeep()));
    }

    @Test
    void gfsKeepsTheNewestOfEachDayWeekAndMonth() {
        List<BackupObject> backups = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // every 12 hours for 50 days
            backups.add(backup(Instant.parse("2025-11-17T12:00:00Z").minus(Duration.ofHours(12L * i))));
        }

        RetentionPlan p = plan(backups, RetentionPolicy.builder().keepDaily(3).keepWeekly(2).keepMonthly(2).build());

        // daily: the 12:00 backups of the 17th, 16th, 15th; weekly: newest of ISO week 47 (the 17th, a Monday) and
        // of week 46 (Sunday the 16th); monthly: newest of November and of October (the 31st at 12:00)
        assertEquals(Set.of("20251117_120000", "20251116_120000", "20251115_120000", "20251031_120000"),
                timestamps(p.getKeep()));
        RetentionPlan.Decision newest = p.getKeep().get(0);
        assertEquals(List.of("daily 2025-11-17", "weekly 2025-W47", "monthly 2025-11", "minimum of 1 kept"),
                newest.getReasons());
        assertEquals(96, p.getDelete().size());
    }

    @Test
    void gfsCountsOnlyPeriodsThatHaveABackup() {
        List<BackupObject> backups = List.of(backup(Instant.parse("2025-11-17T02:00:00Z")),
                backup(Instant.parse("2025-11-01T02:00:00Z")), backup(Instant.parse("2025-09-01T02:00:00Z")));

        RetentionPlan p = plan(backups, RetentionPolicy.builder().keepDaily(3).build());

        assertEquals(3, p.getKeep().size(), "three days with a backup, however far apart");
    }

    @Test
    void rulesAddUp() {
        RetentionPlan p = plan(daily(40), RetentionPolicy.builder().keepLast(2).keepDays(5).keepMonthly(2).build());

        // last 2 ⊂ 5 days (17..13 after 15:00 cut: 17,16,15,14,13 minus the 12th) plus the newest of October
        assertEquals(Set.of("20251117_020000", "20251116_020000", "20251115_020000", "20251114_020000",
                "20251113_020000", "20251031_020000"), timestamps(p.getKeep()));
    }

    @Test
    void theMinimumStaysWhenTheRulesWouldDeleteEverything() {
        List<BackupObject> old = List.of(backup(NOW.minus(Duration.ofDays(100))),
                backup(NOW.minus(Duration.ofDays(101))), backup(NOW.minus(Duration.ofDays(102))));

        RetentionPlan one = plan(old, RetentionPolicy.builder().keepDays(7).build());
        RetentionPlan two = plan(old, RetentionPolicy.builder().keepDays(7).minimumKept(2).build());
        RetentionPlan zero = plan(old, RetentionPolicy.builder().keepLast(0).build());

        assertEquals(1, one.getKeep().size());
        assertEquals(List.of("minimum of 1 kept"), one.getKeep().get(0).getReasons());
        assertEquals(2, two.getKeep().size());
        assertEquals(1, zero.getKeep().size());
    }

    @Test
    void theBackupJustMadeStaysEvenWhenItIsNotTheNewest() {
        List<BackupObject> backups = daily(5);
        // a clock that ran ahead once: an older run wrote a later timestamp
        BackupObject future = backup(NOW.plus(Duration.ofDays(3)));
        backups.add(future);
        String justMade = backups.stream().filter(b -> b.getMetadata().getTimestampText().equals("20251117_020000"))
                .findFirst().orElseThrow().getKey();

        RetentionPlan p = RetentionPlanner.plan(backups, RetentionPolicy.builder().keepLast(1).build(), NOW, justMade);

        assertEquals(Set.of("20251120_150000", "20251117_020000"), timestamps(p.getKeep()));
    }

    @Test
    void withoutRulesEverythingStays() {
        RetentionPlan p = plan(daily(30), RetentionPolicy.none());

        assertEquals(30, p.getKeep().size());
        assertEquals(List.of(), p.getDelete());
    }

    @Test
    void aSetValueOverridesAndAnUnsetValueInherits() {
        RetentionPolicy global = RetentionPolicy.builder().keepLast(30).keepDays(90).minimumKept(3).build();
        RetentionPolicy target = RetentionPolicy.builder().keepDays(14).keepMonthly(6).build();
        RetentionPolicy step = RetentionPolicy.builder().keepLast(5).dryRun(true).build();

        RetentionPolicy merged = RetentionPolicy.merge(global, target, null, step);

        assertEquals(5, merged.getKeepLast());
        assertEquals(14, merged.getKeepDays());
        assertEquals(6, merged.getKeepMonthly());
        assertEquals(null, merged.getKeepDaily());
        assertEquals(3, merged.getMinimumKept());
        assertTrue(merged.isDryRun());
        assertEquals(global, global.overriddenBy(RetentionPolicy.none()));
        assertEquals(1, RetentionPolicy.none().getMinimumKept());
    }

    @Test
    void refusesNegativeCountsAndAMinimumBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.builder().keepLast(-1).build());
        assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.builder().minimumKept(0).build());
    }
}
