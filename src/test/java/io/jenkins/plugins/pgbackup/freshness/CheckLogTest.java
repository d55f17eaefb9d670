package io.jenkins.plugins.pgbackup.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the periodic check writes to its task log. */
class CheckLogTest {
    private static final Instant NOW = Instant.parse("2026-12-06T11:14:46Z");
    private static final FreshnessRule APP = new FreshnessRule("prod-app", "app", "r2", Duration.ofHours(24));
    private static final FreshnessRule CRM = new FreshnessRule("prod-crm", "crm", "down", Duration.ofHours(26));

    @Test
    void withoutRulesOneLineSaysThereWasNothingToCheck() {
        List<String> lines = CheckLog.lines(new FreshnessChecker.CheckReport(NOW, List.of(), List.of(), List.of(),
                Map.of()));
        assertEquals(List.of("No connection has a maximum backup age and a storage to check: nothing to check."),
                lines);
    }

    @Test
    void eachRuleHasItsVerdictThenWhatWasAnnouncedAndWhatWaits() {
        FreshnessStatus stale = new FreshnessStatus(APP, FreshnessState.STALE, null, Duration.ofHours(25),
                "the newest backup of 'app' is 25 h old", NOW);
        FreshnessStatus unknown = new FreshnessStatus(CRM, FreshnessState.UNKNOWN, null, null,
                "storage target 'down' could not be read: refused", NOW);
        AlarmTransition announced = new AlarmTransition(stale, FreshnessState.FRESH);
        AlarmTransition waiting = new AlarmTransition(stale, null);
        List<String> lines = CheckLog.lines(new FreshnessChecker.CheckReport(NOW, List.of(stale, unknown),
                List.of(announced), List.of(waiting), Map.of()));
        assertEquals(List.of(
                "Checked 2 rules at 2026-12-06T11:14:46Z: 1 in alarm, 1 unknown.",
                "STALE prod-app (database app in storage 'r2', at most 24 h): the newest backup of 'app' is 25 h old",
                "UNKNOWN prod-crm (database crm in storage 'down', at most 26 h): storage target 'down' could not be "
                        + "read: refused",
                "Announced: prod-app FRESH -> STALE",
                "Not delivered, sent again at the next check: prod-app (first check) -> STALE"), lines);
    }
}
