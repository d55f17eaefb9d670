package io.jenkins.plugins.pgbackup.freshness;

import io.jenkins.plugins.pgbackup.storage.BackupObject;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One rule's verdict at one check.
 *
 * @param rule what was checked
 * @param state the verdict
 * @param newest the newest complete backup, or {@code null}
 * @param age how old {@code newest} was at the check, or {@code null}
 * @param detail a sentence for people: why this state
 * @param checkedAt when
 */
public record FreshnessStatus(FreshnessRule rule, FreshnessState state, BackupObject newest, Duration age,
        String detail, Instant checkedAt) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public FreshnessStatus {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }
}
