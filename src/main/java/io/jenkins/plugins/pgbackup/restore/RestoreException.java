package io.jenkins.plugins.pgbackup.restore;

import java.io.IOException;
import java.io.Serial;

/**
 * A restore that failed or was refused, with what the user should read: the message says what happened, whether the
 * target database was touched, and what to do; the stderr tail (sanitized) is what pg_restore or psql said. Never
 * holds a secret.
 */
public final class RestoreException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String stderrTail;
    private final boolean targetTouched;

    public RestoreException(String message, String stderrTail, boolean targetTouched, Throwable cause) {
        super(message, cause);
        this.stderrTail = stderrTail == null ? "" : stderrTail;
        this.targetTouched = targetTouched;
    }

    /** A refusal before anything reached the target database. */
    public RestoreException(String message) {
        this(message, "", false, null);
    }

    /**
     * The backup could not be found or read before anything started (on the controller, when it signs): the reason,
     * and that nothing was restored, as the engine says it.
     */
    public static RestoreException beforeStart(String reason) {
        return new RestoreException(reason + "." + BackupTransfer.UNTOUCHED);
    }

    /** The end of pg_restore's or psql's standard error, sanitized; empty when no tool ran or it said nothing. */
    public String getStderrTail() {
        return stderrTail;
    }

    /**
     * Whether the target was changed before the failure: a database was created, or pg_restore or psql ran. False
     * for every refusal (missing, corrupt or foreign backup, non-empty target, no suitable client).
     */
    public boolean isTargetTouched() {
        return targetTouched;
    }
}
