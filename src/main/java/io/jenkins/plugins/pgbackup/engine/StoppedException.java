package io.jenkins.plugins.pgbackup.engine;

import java.io.InterruptedIOException;
import java.io.Serial;

/**
 * A backup or restore that was interrupted (the build aborted, a Pipeline {@code timeout}), with one line that says
 * what was stopped and what it left: "The backup of app was stopped after pg_dump started: ... nothing was stored."
 * Still an {@link InterruptedException}, so everything that handles interruptions handles it.
 */
public final class StoppedException extends InterruptedException {
    @Serial
    private static final long serialVersionUID = 1L;

    public StoppedException(String summary, Throwable cause) {
        super(summary);
        if (cause != null) {
            initCause(cause);
        }
    }

    /** The one line for the build log. */
    public String summary() {
        return getMessage();
    }

    /**
     * Whether a failure is really an interruption: an {@link InterruptedException} or a plain
     * {@link InterruptedIOException} among its causes (not one of its subclasses, which are timeouts).
     */
    public static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException || c.getClass() == InterruptedIOException.class) {
                return true;
            }
        }
        return false;
    }
}
