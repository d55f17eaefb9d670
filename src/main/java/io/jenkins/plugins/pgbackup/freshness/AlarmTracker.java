package io.jenkins.plugins.pgbackup.freshness;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state machine: compares a check's verdicts with the recorded states and says which changed. UNKNOWN (storage
 * unreadable) never changes a recorded state, so an outage neither raises a false "stale" nor a false "recovered".
 * The first verdict of a rule is recorded silently when fresh and announced when it is an alarm.
 */
public final class AlarmTracker {
    private final Map<String, RecordedAlarm> recorded;

    /** @param recorded the states as loaded; copied */
    public AlarmTracker(Map<String, RecordedAlarm> recorded) {
        this.recorded = new HashMap<>(recorded);
    }

    /** The transition this verdict makes, if any; does not record it (see {@link #record}). */
    public Optional<AlarmTransition> transition(FreshnessStatus status) {
        if (status.state() == FreshnessState.UNKNOWN) {
            return Optional.empty();
        }
        RecordedAlarm before = recorded.get(status.rule().connection());
        FreshnessState previous = before == null ? null : before.state();
        if (previous == status.state()) {
            return Optional.empty();
        }
        if (previous == null && !status.state().isAlarm()) {
            return Optional.empty();
        }
        return Optional.of(new AlarmTransition(status, previous));
    }

    /** Takes the verdict as the rule's state (nothing happens for UNKNOWN or an unchanged state). */
    public void record(FreshnessStatus status) {
        if (status.state() == FreshnessState.UNKNOWN) {
            return;
        }
        RecordedAlarm before = recorded.get(status.rule().connection());
        if (before == null || before.state() != status.state()) {
            recorded.put(status.rule().connection(), new RecordedAlarm(status.state(), status.checkedAt()));
        }
    }

    /** Forgets rules no longer configured, so re-adding one later starts afresh. */
    public void retainOnly(Set<String> connections) {
        recorded.keySet().retainAll(new HashSet<>(connections));
    }

    public Map<String, RecordedAlarm> snapshot() {
        return Map.copyOf(recorded);
    }
}
