package io.jenkins.plugins.pgbackup.steps;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets a stopped step (abort, Pipeline {@code timeout}) say what it stopped before the stop ends it.
 *
 * <p>Why: stopping a Pipeline step ends it at once, and what the step's thread throws afterwards is printed only if
 * it arrives before the build finishes. Under {@code timeout} it often does not, and the line that says what was
 * stopped and what it left went missing. So the stop interrupts the run's thread, waits (on another thread, never the
 * Pipeline's) until the run has printed that line or a bound has passed, and only then ends the step. Plain Java, so
 * the ordering is tested without Jenkins.
 */
final class StopHandshake {

    private static final Logger LOGGER = Logger.getLogger(StopHandshake.class.getName());

    /** How long a stop waits for the run's line: the controller asks the agent, which waits up to its own bound. */
    static final Duration REPORT_WAIT = AgentRuns.STOP_WAIT.plusSeconds(10);
    /** How long the run waits for the stop to end the step before it goes on by itself. */
    static final Duration STOPPED_WAIT = Duration.ofSeconds(30);

    /** What ends the step: the execution's own stop. */
    @FunctionalInterface
    interface Finish {
        void run() throws Exception;
    }

    private final Duration reportWait;
    private final CountDownLatch reported = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread worker;
    private volatile boolean stopping;

    StopHandshake() {
        this(REPORT_WAIT);
    }

    StopHandshake(Duration reportWait) {
        this.reportWait = reportWait;
    }

    /** The run starts on this thread. */
    void started() {
        worker = Thread.currentThread();
    }

    /** Whether a stop interrupted the run: then the run prints its line and calls {@link #reportedAwaitingStop()}. */
    boolean stopping() {
        return stopping;
    }

    /**
     * The run has printed what it stopped: the stop may end the step now. Waits until it has (its cancellation
     * interrupts this wait, the usual way out) or {@link #STOPPED_WAIT} has passed; the interrupt is kept.
     */
    void reportedAwaitingStop() {
        reported.countDown();
        try {
            if (!stopped.await(STOPPED_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOGGER.fine("the stop did not end the step in time; the run ends by itself");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run is over, however it ended. */
    void ended() {
        reported.countDown();
    }

    /**
     * Interrupts the run and calls {@code finish} once it has reported, or after the wait; at once when the run has
     * not started or is over.
     *
     * @param executor where to wait: the caller is Pipeline's own thread, which must not block
     */
    void stop(Executor executor, Finish finish) {
        Thread w = worker;
        if (w == null || reported.getCount() == 0) {
            finish(finish);
            return;
        }
        stopping = true;
        w.interrupt();
        executor.execute(() -> {
            try {
                if (!reported.await(reportWait.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOGGER.fine("the stopped run said nothing in time; ending the step without its line");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finish(finish);
                stopped.countDown();
            }
        });
    }

    private static void finish(Finish finish) {
        try {
            finish.run();
        } catch (Exception e) {
            LOGGER.log(Level.WARNING, "Could not end the stopped PostgreSQL Backup step", e);
        }
    }
}
