package io.jenkins.plugins.pgbackup.engine;

import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Turns a byte counter into a log line at most every interval: "Uploaded 1,234.5 MB (98.7 MB/s)". Long backups must
 * show that they are alive, without flooding the build log.
 */
public final class ProgressLog implements LongConsumer {
    public static final long DEFAULT_INTERVAL_NANOS = 10_000_000_000L;

    private final EngineLog log;
    private final String verb;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final long start;
    private long lastReport;
    private long bytes;

    public ProgressLog(EngineLog log, String verb) {
        this(log, verb, DEFAULT_INTERVAL_NANOS, System::nanoTime);
    }

    public ProgressLog(EngineLog log, String verb, long intervalNanos, LongSupplier nanoTime) {
        this.log = log;
        this.verb = verb;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
        this.lastReport = start;
    }

    /** @param total the bytes so far */
    @Override
    public void accept(long total) {
        bytes = total;
        long now = nanoTime.getAsLong();
        if (now - lastReport >= intervalNanos) {
            lastReport = now;
            log.info(line(now));
        }
    }

    /** The closing line, whatever the interval. */
    public void finish() {
        log.info(line(nanoTime.getAsLong()));
    }

    private String line(long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        double mb = bytes / 1e6;
        return String.format(Locale.ROOT, "%s %,.1f MB in %.1f s (%.1f MB/s)", verb, mb, seconds, mb / seconds);
    }
}
