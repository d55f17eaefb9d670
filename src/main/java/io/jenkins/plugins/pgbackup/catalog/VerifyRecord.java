package io.jenkins.plugins.pgbackup.catalog;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

/**
 * The last restore drill ({@code pgVerify}) of one backup.
 *
 * @param passed whether every check passed
 * @param at when it ended
 * @param summary what it found, one line
 * @param backupBy the build that ran it, as {@code jenkins:<job full name>#<number>}; may be {@code null}
 */
public record VerifyRecord(boolean passed, Instant at, String summary, String backupBy) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Finds the last drill of a backup. */
    @FunctionalInterface
    public interface Lookup {
        /** Nothing known. */
        Lookup NONE = (target, key) -> null;

        /** @return the last drill of the backup at {@code key} in storage target {@code target}, or {@code null} */
        VerifyRecord find(String target, String key);
    }
}
