package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stopped step prints what it stopped before the stop ends it, under {@code timeout} as under an abort: the run's
 * thread and the stop are played by plain threads, in the order Pipeline calls them.
 */
class StopHandshakeTest {

    private final ExecutorService pipelineTimer = Executors.newSingleThreadExecutor();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutDown() {
        pipelineTimer.shutdownNow();
    }

    /** Like the step's run: works until interrupted, then takes a while to learn from the agent what it left. */
    private Thread run(StopHandshake handshake, CountDownLatch started, Duration learning) {
        Thread t = new Thread(() -> {
            handshake.started();
            try {
                started.countDown();
                Thread.sleep(60_000);
                events.add("run finished normally");
            } catch (InterruptedException stoppedByTheStop) {
                try {
                    Thread.sleep(learning.toMillis()); // asking the agent
                } catch (InterruptedException again) {
                    events.add("interrupted while asking the agent");
                }
                if (handshake.stopping()) {
                    events.add("The backup of shop was stopped; nothing was stored.");
                    handshake.reportedAwaitingStop();
                    events.add("run thread ends");
                }
            } finally {
                handshake.ended();
            }
        }, "run");
        t.start();
        return t;
    }

    @Test
    void theStopEndsTheStepOnlyAfterTheRunPrintedWhatItStopped() throws Exception {
        StopHandshake handshake = new StopHandshake(Duration.ofSeconds(20));
        CountDownLatch started = new CountDownLatch(1);
        Thread runThread = run(handshake, started, Duration.ofMillis(300));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long before = System.nanoTime();
        handshake.stop(pipelineTimer, () -> {
            events.add("step ended by the stop");
            runThread.interrupt(); // what SynchronousNonBlockingStepExecution.stop does: cancel(true)
        });
        long stopCallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        runThread.join(20_000);
        assertFalse(runThread.isAlive());
        assertEquals(List.of("The backup of shop was stopped; nothing was stored.", "step ended by the stop",
                "run thread ends"), events);
        assertTrue(stopCallMillis < 250, "the stop returns at once, Pipeline's thread never waits: " + stopCallMillis);
    }

    @Test
    void aRunThatSaysNothingInTimeIsEndedAfterTheWait() throws Exception {
        StopHandshake handshake = new StopHandshake(Duration.ofMillis(200));
        CountDownLatch started = new CountDownLatch(1);
        Thread runThread = run(handshake, started, Duration.ofSeconds(30));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        CountDownLatch ended = new CountDownLatch(1);
        handshake.stop(pipelineTimer, () -> {
            events.add("step ended by the stop");
            ended.countDown();
            runThread.interrupt();
        });
        assertTrue(ended.await(10, TimeUnit.SECONDS), "ended after the bounded wait");
        runThread.join(20_000);
        assertEquals("step ended by the stop", events.get(0), events.toString());
        assertTrue(events.contains("interrupted while asking the agent"), events.toString());
    }

    @Test
    void aStopBeforeTheRunStartsOrAfterItEndedEndsTheStepAtOnce() throws Exception {
        StopHandshake notStarted = new StopHandshake();
        notStarted.stop(r -> events.add("must not wait"), () -> events.add("ended at once"));
        assertEquals(List.of("ended at once"), events);
        assertFalse(notStarted.stopping());

        StopHandshake over = new StopHandshake();
        Thread t = new Thread(() -> {
            over.started();
            over.ended();
        });
        t.start();
        t.join();
        events.clear();
        over.stop(r -> events.add("must not wait"), () -> events.add("ended at once"));
        assertEquals(List.of("ended at once"), events);
    }

    @Test
    void aFailingStopIsLoggedAndStillReleasesTheRun() throws Exception {
        StopHandshake handshake = new StopHandshake(Duration.ofSeconds(20));
        CountDownLatch started = new CountDownLatch(1);
        Thread runThread = run(handshake, started, Duration.ofMillis(50));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        handshake.stop(pipelineTimer, () -> {
            throw new IllegalStateException("context already completed");
        });
        runThread.join(20_000);
        assertFalse(runThread.isAlive(), "the run is released although the stop failed");
        assertEquals(List.of("The backup of shop was stopped; nothing was stored.", "run thread ends"), events);
    }
}
