package io.jenkins.plugins.pgbackup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLogTest {

    @Test
    void reportsAtMostOncePerIntervalWithThroughput() {
        AtomicLong now = new AtomicLong(0);
        RecordingLog log = new RecordingLog();
        ProgressLog progress = new ProgressLog(log, "Uploaded", ProgressLog.DEFAULT_INTERVAL_NANOS, now::get);

        now.set(5_000_000_000L);
        progress.accept(50_000_000);
        assertEquals(0, log.lines().size(), "nothing before 10 s");

        now.set(10_000_000_000L);
        progress.accept(100_000_000);
        now.set(12_000_000_000L);
        progress.accept(120_000_000);
        assertEquals(1, log.lines().size());
        assertEquals("INFO: Uploaded 100.0 MB in 10.0 s (10.0 MB/s)", log.lines().get(0));

        now.set(20_000_000_000L);
        progress.accept(300_000_000);
        assertEquals("INFO: Uploaded 300.0 MB in 20.0 s (15.0 MB/s)", log.lines().get(1));

        progress.finish();
        assertEquals(3, log.lines().size(), "the closing line is always written");
    }
}
