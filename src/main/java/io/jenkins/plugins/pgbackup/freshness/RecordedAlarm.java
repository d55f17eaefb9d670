package io.jenkins.plugins.pgbackup.freshness;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * The last known state of one rule that was announced (or, for the first check, taken as the starting point), and
 * since when.
 */
public record RecordedAlarm(FreshnessState state, Instant since) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RecordedAlarm {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        if (state == FreshnessState.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN is never recorded: it says nothing about the backups");
        }
    }
}
