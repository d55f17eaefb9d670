package io.jenkins.plugins.pgbackup.freshness;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * A change worth one message: into an alarm state (stale or missing, also from the other alarm state), or out of one
 * ("recovered").
 *
 * @param status the check's verdict that changed the state
 * @param previous the state recorded before, or {@code null} at the first check of this rule
 */
public record AlarmTransition(FreshnessStatus status, FreshnessState previous) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public AlarmTransition {
        Objects.requireNonNull(status, "status");
    }

    /** Fresh again after an alarm. */
    public boolean isRecovery() {
        return status.state() == FreshnessState.FRESH;
    }
}
