package io.jenkins.plugins.pgbackup.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serial;
import java.util.function.Function;

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

    /** An engine's work, which an interruption may end. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException, InterruptedException;
    }

    /**
     * Runs an engine's work and turns its interruption into the {@link StoppedException} that {@code stopped} makes of
     * the cause: an {@link InterruptedException}, or an {@link IOException} caused by one (a stream closed under an
     * interrupted thread). A {@link StoppedException} passes as it is; every other failure too.
     */
    public static <T> T whenInterrupted(Work<T> work, Function<Throwable, StoppedException> stopped)
            throws IOException, InterruptedException {
        try {
            return work.run();
        } catch (StoppedException e) {
            throw e;
        } catch (InterruptedException e) {
            throw stopped.apply(e);
        } catch (IOException e) {
            if (isInterruption(e) || Thread.interrupted()) {
                throw stopped.apply(e);
            }
            throw e;
        }
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
