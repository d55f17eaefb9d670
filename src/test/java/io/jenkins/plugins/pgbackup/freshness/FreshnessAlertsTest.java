package io.jenkins.plugins.pgbackup.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the Manage Jenkins badge and the administrative monitor say for given check results. */
class FreshnessAlertsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T11:14:46Z");
    private static final FreshnessRule APP = new FreshnessRule("prod-app", "app", "r2", Duration.ofHours(24));
    private static final FreshnessRule BILLING = new FreshnessRule("prod-billing", "billing", "r2",
            Duration.ofHours(24));

    private static FreshnessStatus status(FreshnessRule rule, FreshnessState state) {
        return new FreshnessStatus(rule, state, null, null, state + " because", NOW);
    }

    private static FreshnessAlerts alerts(FreshnessStatus... statuses) {
        return FreshnessAlerts.of(new FreshnessChecker.CheckReport(NOW, List.of(statuses), List.of(), List.of(),
                Map.of()));
    }

    @Test
    void beforeTheFirstCheckThereIsNoBadgeAndNoMonitor() {
        FreshnessAlerts a = FreshnessAlerts.of(null);
        assertEquals(Optional.empty(), a.badge());
        assertFalse(a.monitorShown(Set.of()));
    }

    @Test
    void everythingFreshShowsNothing() {
        FreshnessAlerts a = alerts(status(APP, FreshnessState.FRESH), status(BILLING, FreshnessState.FRESH));
        assertEquals(Optional.empty(), a.badge());
        assertFalse(a.monitorShown(Set.of()));
    }

    @Test
    void staleAndMissingBackupsCountInARedBadgeAndShowTheMonitor() {
        FreshnessAlerts a = alerts(status(APP, FreshnessState.STALE), status(BILLING, FreshnessState.MISSING));
        assertEquals(Optional.of(new FreshnessAlerts.Badge(2, FreshnessAlerts.Severity.DANGER)), a.badge());
        assertEquals(Set.of("prod-app=STALE", "prod-billing=MISSING"), a.alarmKeys());
        assertTrue(a.monitorShown(Set.of()));
    }

    @Test
    void anUnreadableTargetIsAnAmberBadgeButNoAlarm() {
        FreshnessAlerts a = alerts(status(APP, FreshnessState.UNKNOWN), status(BILLING, FreshnessState.FRESH));
        assertEquals(Optional.of(new FreshnessAlerts.Badge(1, FreshnessAlerts.Severity.WARNING)), a.badge());
        assertFalse(a.monitorShown(Set.of()));
    }

    @Test
    void anAlarmOutranksAnUnknownTargetInTheBadge() {
        FreshnessAlerts a = alerts(status(APP, FreshnessState.UNKNOWN), status(BILLING, FreshnessState.STALE));
        assertEquals(Optional.of(new FreshnessAlerts.Badge(1, FreshnessAlerts.Severity.DANGER)), a.badge());
    }

    @Test
    void aDismissedAlarmStaysHiddenWhileItLastsButTheBadgeStays() {
        FreshnessAlerts a = alerts(status(BILLING, FreshnessState.STALE));
        Set<String> dismissed = a.alarmKeys();
        FreshnessAlerts later = alerts(status(BILLING, FreshnessState.STALE));
        assertFalse(later.monitorShown(later.stillDismissed(dismissed)));
        assertEquals(Optional.of(new FreshnessAlerts.Badge(1, FreshnessAlerts.Severity.DANGER)), later.badge());
    }

    @Test
    void aNewAlarmOrAChangedOneShowsTheMonitorAgain() {
        Set<String> dismissed = alerts(status(BILLING, FreshnessState.STALE)).alarmKeys();
        FreshnessAlerts another = alerts(status(BILLING, FreshnessState.STALE), status(APP, FreshnessState.STALE));
        assertTrue(another.monitorShown(another.stillDismissed(dismissed)));
        FreshnessAlerts worse = alerts(status(BILLING, FreshnessState.MISSING));
        assertTrue(worse.monitorShown(worse.stillDismissed(dismissed)));
    }

    @Test
    void aDismissalEndsWhenTheBackupRecoversSoTheNextStaleSpellIsShown() {
        Set<String> dismissed = alerts(status(BILLING, FreshnessState.STALE)).alarmKeys();
        Set<String> afterRecovery = alerts(status(BILLING, FreshnessState.FRESH)).stillDismissed(dismissed);
        assertEquals(Set.of(), afterRecovery);
        FreshnessAlerts staleAgain = alerts(status(BILLING, FreshnessState.STALE));
        assertTrue(staleAgain.monitorShown(staleAgain.stillDismissed(afterRecovery)));
    }

    @Test
    void anUnreadableTargetKeepsTheDismissalOfItsAlarmNeitherWay() {
        // UNKNOWN says nothing about the backups: the alarm is not on in this report, so its dismissal lapses, and
        // the alarm, when seen again, is shown again rather than hidden on old information
        Set<String> dismissed = alerts(status(BILLING, FreshnessState.STALE)).alarmKeys();
        assertEquals(Set.of(), alerts(status(BILLING, FreshnessState.UNKNOWN)).stillDismissed(dismissed));
    }
}
