package io.jenkins.plugins.pgbackup.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A program a {@link ProcessStarter} started: its streams, its end, and how to stop it with what it started. */
public interface StartedProcess {

    /** A short name for thread names and logs: the process id, where there is one. */
    String id();

    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    /** Waits up to {@code timeout}; {@code true} once the process has exited. */
    boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException;

    /** Waits for the end; returns the exit status. */
    int waitFor() throws InterruptedException;

    /** The exit status; only once the process has exited. */
    int exitValue();

    /**
     * Asks the process and everything it started to terminate, waits up to {@code grace}, then kills what is left.
     * Returns once it is gone or the grace periods have passed; never throws, keeps the interrupt status.
     */
    void destroy(Duration grace);
}
