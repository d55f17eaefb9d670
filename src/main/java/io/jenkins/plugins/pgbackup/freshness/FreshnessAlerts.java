package io.jenkins.plugins.pgbackup.freshness;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Jenkins' own screens say about the last freshness check: the badge on the <em>Manage Jenkins</em> link and
 * whether the administrative monitor is shown. Plain Java, so it is tested without Jenkins; the Jenkins classes only
 * translate it.
 *
 * <p>A dismissal hides the alarms dismissed, not the monitor: an alarm that is new, or that changed (stale to
 * missing), shows it again, and an alarm that recovered is forgotten, so the same database going stale later is shown
 * again.
 */
public final class FreshnessAlerts {
    /** How loud the badge is. */
    public enum Severity {
        /** A backup is stale or missing. */
        DANGER,
        /** No alarm, but a storage target could not be read: nothing is known about its backups. */
        WARNING
    }

    /** The badge: how many rules it counts and how loud it is. */
    public record Badge(int count, Severity severity) {}

    private final List<FreshnessStatus> alarms;
    private final List<FreshnessStatus> unknown;

    private FreshnessAlerts(List<FreshnessStatus> alarms, List<FreshnessStatus> unknown) {
        this.alarms = alarms;
        this.unknown = unknown;
    }

    /** @param report the last check, or {@code null} before the first one: then nothing is shown */
    public static FreshnessAlerts of(FreshnessChecker.CheckReport report) {
        return report == null ? new FreshnessAlerts(List.of(), List.of())
                : new FreshnessAlerts(report.alarms(), report.unknown());
    }

    public List<FreshnessStatus> alarms() {
        return alarms;
    }

    /** Alarms win over unknown states; nothing when every rule is fresh (or nothing was checked yet). */
    public Optional<Badge> badge() {
        if (!alarms.isEmpty()) {
            return Optional.of(new Badge(alarms.size(), Severity.DANGER));
        }
        if (!unknown.isEmpty()) {
            return Optional.of(new Badge(unknown.size(), Severity.WARNING));
        }
        return Optional.empty();
    }

    /** Identifies each alarm with its state: {@code <connection>=<STATE>}. */
    public Set<String> alarmKeys() {
        Set<String> keys = new LinkedHashSet<>();
        alarms.forEach(a -> keys.add(a.rule().connection() + "=" + a.state().name()));
        return keys;
    }

    /** Whether the monitor shows: some alarm is on that was not dismissed. */
    public boolean monitorShown(Set<String> dismissed) {
        return !dismissed.containsAll(alarmKeys());
    }

    /** The dismissals that still hold after this check: those of alarms still on, in the same state. */
    public Set<String> stillDismissed(Set<String> dismissed) {
        Set<String> kept = new LinkedHashSet<>(dismissed);
        kept.retainAll(alarmKeys());
        return Set.copyOf(kept);
    }
}
