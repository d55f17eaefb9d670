package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.dump.BackupException;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.restore.RestoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's side of a backup or restore, free of Jenkins so it can be tested: the build log (secrets masked)
 * flushed before the work returns or throws, failures in a form that crosses the channel, and what an interrupted
 * run left, for the controller to ask for.
 *
 * <p>Why flush: what an agent writes to a build log is buffered there and sent on later, so without it the step's
 * last lines reach the console after the next step started. Why plain exceptions: an exception crosses to the
 * controller with its causes, and a cause the controller cannot deserialize (the AWS SDK's) turns the whole failure
 * into a {@code ProxyException} whose message starts with a class name. Why ask: an abort interrupts the controller's
 * wait at once; the agent learns of it afterwards, so the controller asks the agent what was stopped.
 */
final class AgentRuns {
    private static final Logger LOGGER = Logger.getLogger(AgentRuns.class.getName());

    /** How long the controller waits for the agent to finish stopping before it takes the state as it stands. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** Runs whose summary nobody asked for are forgotten beyond this many. */
    static final int KEPT = 32;

    private static final Map<String, Entry> RUNS = new ConcurrentHashMap<>();

    private AgentRuns() {}

    /** The engine's part of a run. */
    interface Work<T> {
        /**
         * @param stopState to hand over the engine's {@code stopSummary}, the line an interruption would end with
         */
        T run(EngineLog log, Consumer<Supplier<String>> stopState) throws IOException, InterruptedException;
    }

    private static final class Entry {
        final CompletableFuture<String> ended = new CompletableFuture<>();
        volatile Supplier<String> live = () -> null;
    }

    /**
     * Runs {@code work} with a log to {@code out} that masks {@code secrets}, and flushes it however the work ends.
     *
     * @param id this run, for {@link #stopSummary}
     * @throws IOException the work's failure with its message and stderr tail, without causes
     * @throws StoppedException when interrupted, with the line that says what was stopped
     */
    static <T> T run(String id, PrintStream out, List<String> secrets, Work<T> work)
            throws IOException, InterruptedException {
        forgetOld();
        Entry entry = new Entry();
        RUNS.put(id, entry);
        MaskingEngineLog log = new MaskingEngineLog(EngineLog.to(out), secrets);
        String summary = null;
        try {
            return work.run(log, s -> entry.live = s);
        } catch (StoppedException e) {
            summary = log.mask(e.summary());
            throw new StoppedException(summary, null);
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.FINE, "PostgreSQL Backup failed on this machine", e);
            throw portable(e, log);
        } finally {
            log.flush();
            entry.ended.complete(summary);
            if (summary == null) {
                RUNS.remove(id, entry);
            }
        }
    }

    /**
     * The line that says what the interrupted run {@code id} left: once it has ended, or after {@code wait}, what the
     * engine says as things stand. {@code null} when this machine knows no such run.
     */
    static String stopSummary(String id, Duration wait) throws InterruptedException {
        Entry entry = RUNS.get(id);
        if (entry == null) {
            return null;
        }
        try {
            String s = entry.ended.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            RUNS.remove(id, entry);
            return s != null ? s : entry.live.get();
        } catch (TimeoutException | ExecutionException e) {
            return entry.live.get();
        }
    }

    /** The same failure without its causes, so it deserializes anywhere; secrets masked once more. */
    static IOException portable(Exception e, MaskingEngineLog log) {
        String message = log.mask(e.getMessage() == null ? e.toString() : e.getMessage());
        IOException copy;
        if (e instanceof BackupException b) {
            copy = new BackupException(message, log.mask(b.getStderrTail()), null);
        } else if (e instanceof RestoreException r) {
            copy = new RestoreException(message, log.mask(r.getStderrTail()), r.isTargetTouched(), null);
        } else {
            copy = new IOException(message);
        }
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** Summaries nobody came for (the controller went away) must not pile up in a long-lived agent. */
    private static void forgetOld() {
        if (RUNS.size() > KEPT) {
            RUNS.entrySet().removeIf(e -> e.getValue().ended.isDone());
        }
    }
}
