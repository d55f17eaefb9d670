package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.dump.BackupException;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.restore.RestoreException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent's side of a step, without Jenkins: flushing, exceptions that cross the channel, the stop summary. */
class AgentRunsTest {

    /** Holds everything until flushed, as an agent's build log does. */
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final PrintStream buffered = new PrintStream(new BufferedOutputStream(sink, 1 << 16), false,
            StandardCharsets.UTF_8);

    private String written() {
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyLineIsFlushedBeforeTheWorkReturns() throws Exception {
        String result = AgentRuns.run(id(), buffered, List.of(), (log, stop) -> {
            log.info("Uploaded 0.8 MB in 3.6 s");
            log.info("Backup of app stored at s3://backups/app.dump");
            assertEquals("", written(), "the stream buffers: nothing is out before the flush");
            return "done";
        });
        assertEquals("done", result);
        assertEquals("Uploaded 0.8 MB in 3.6 s\nBackup of app stored at s3://backups/app.dump\n", written());
    }

    @Test
    void everyLineIsFlushedWhenTheWorkFails() {
        assertThrows(IOException.class, () -> AgentRuns.run(id(), buffered, List.of(), (log, stop) -> {
            log.warn("Retention skipped");
            throw new BackupException("pg_dump failed");
        }));
        assertEquals("WARNING: Retention skipped\n", written());
    }

    @Test
    void everyLineIsFlushedWhenTheWorkIsStopped() {
        StoppedException e = assertThrows(StoppedException.class, () -> AgentRuns.run(id(), buffered, List.of(),
                (log, stop) -> {
                    log.info("Plan: pg_dump 17");
                    throw new StoppedException("The backup of app was stopped before pg_dump started: nothing "
                            + "was stored.", new InterruptedException());
                }));
        assertEquals("Plan: pg_dump 17\n", written());
        assertNull(e.getCause(), "no cause travels to the controller");
    }

    @Test
    void secretsAreMaskedInTheLogAndInTheFailure() {
        BackupException e = assertThrows(BackupException.class, () -> AgentRuns.run(id(), buffered,
                List.of("s3cr3t"), (log, stop) -> {
                    log.info("password s3cr3t");
                    throw new BackupException("failed with s3cr3t", "FATAL: s3cr3t", null);
                }));
        assertEquals("password ****\n", written());
        assertEquals("failed with ****", e.getMessage());
        assertEquals("FATAL: ****", e.getStderrTail());
    }

    @Test
    void failuresCrossTheChannelWithoutTheirCausesButWithWhatTheyCarry() throws Exception {
        RestoreException e = assertThrows(RestoreException.class, () -> AgentRuns.run(id(), buffered, List.of(),
                (log, stop) -> {
                    throw new RestoreException("pg_restore failed", "pg_restore: error: boom", true,
                            new NotDeserializable("an SDK exception"));
                }));
        assertNull(e.getCause());
        assertEquals("pg_restore failed", e.getMessage());
        assertEquals("pg_restore: error: boom", e.getStderrTail());
        assertTrue(e.isTargetTouched());
        RestoreException back = assertInstanceOf(RestoreException.class, roundTrip(e));
        assertEquals("pg_restore failed", back.getMessage());
    }

    @Test
    void anUnexpectedRuntimeExceptionBecomesAPlainIOExceptionWithItsMessage() {
        IOException e = assertThrows(IOException.class, () -> AgentRuns.run(id(), buffered, List.of(),
                (log, stop) -> {
                    throw new IllegalStateException("Unable to execute HTTP request: Connection refused");
                }));
        assertEquals(IOException.class, e.getClass());
        assertEquals("Unable to execute HTTP request: Connection refused", e.getMessage());
    }

    @Test
    void theControllerLearnsWhatAStoppedRunLeftOnceItHasEnded() throws Exception {
        String id = id();
        String summary = "The backup of app was stopped after pg_dump started: pg_dump was stopped and the upload "
                + "aborted; nothing was stored.";
        assertThrows(StoppedException.class, () -> AgentRuns.run(id, buffered, List.of(), (log, stop) -> {
            throw new StoppedException(summary, null);
        }));
        assertEquals(summary, AgentRuns.stopSummary(id, Duration.ofSeconds(1)));
        assertNull(AgentRuns.stopSummary(id, Duration.ofSeconds(1)), "asked once, then forgotten");
    }

    @Test
    void aRunStillStoppingIsDescribedAsItStandsAfterTheWait() throws Exception {
        String id = id();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                AgentRuns.run(id, buffered, List.of(), (log, stop) -> {
                    stop.accept(() -> "The restore into database app on db:5432 was stopped after pg_restore "
                            + "started: the target may be partially restored");
                    running.countDown();
                    release.await();
                    return null;
                });
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        long start = System.nanoTime();
        String s = AgentRuns.stopSummary(id, Duration.ofMillis(200));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000);
        assertTrue(s.startsWith("The restore into database app on db:5432 was stopped after pg_restore started"), s);
        release.countDown();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertNull(AgentRuns.stopSummary(id, Duration.ofMillis(10)), "a run that ended normally is forgotten");
    }

    @Test
    void anUnknownRunHasNoSummary() throws Exception {
        assertNull(AgentRuns.stopSummary(id(), Duration.ofMillis(10)));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    /** Stands for a cause the controller cannot deserialize: it cannot even be serialized. */
    private static final class NotDeserializable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final transient Object state = new Object();
        private final Thread notSerializable = Thread.currentThread();

        NotDeserializable(String message) {
            super(message);
        }
    }
}
