package io.jenkins.plugins.pgbackup.dump;

import java.io.IOException;
import java.io.Serial;

/**
 * A backup that failed, with what the user should read: the message says what happened and what to do, the stderr
 * tail (sanitized) is what pg_dump said. Never holds a secret.
 */
public final class BackupException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String stderrTail;

    public BackupException(String message, String stderrTail, Throwable cause) {
        super(message, cause);
        this.stderrTail = stderrTail == null ? "" : stderrTail;
    }

    public BackupException(String message) {
        this(message, "", null);
    }

    /** The end of pg_dump's standard error, sanitized; empty when pg_dump did not run or said nothing. */
    public String getStderrTail() {
        return stderrTail;
    }
}
