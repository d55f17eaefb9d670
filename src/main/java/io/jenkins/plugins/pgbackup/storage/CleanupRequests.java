package io.jenkins.plugins.pgbackup.storage;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sends the requests that clean up after a failed or stopped upload (AbortMultipartUpload, ListMultipartUploads,
 * DeleteObject) from a thread of their own. The thread that uploaded is often the one a Jenkins abort or a Pipeline
 * {@code timeout} interrupted, and the SDK refuses to send anything from an interrupted thread; clearing the flag is
 * not enough either, since a second abort sets it again. Each request is tried up to {@link #ATTEMPTS} times, each
 * attempt with its own deadline ({@link #ATTEMPT_TIMEOUT}), and the whole cleanup within one budget. The caller waits
 * for each outcome, ignoring interruptions meanwhile (and restoring them), because a report made before the cleanup
 * is done would be a guess.
 */
final class CleanupRequests implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(CleanupRequests.class.getName());

    /** The deadline of one attempt, the SDK's own retries included. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(20);
    /** Attempts of each cleanup request, the first included. */
    static final int ATTEMPTS = 3;
    /** Pause before the second attempt; doubled before the third. */
    static final Duration PAUSE = Duration.ofSeconds(1);
    /** What one upload's cleanup may take in all: waiting for its parts in flight and every request. */
    static final Duration BUDGET = Duration.ofSeconds(90);

    /** One cleanup request, sent from the cleanup thread with the overrides given (its deadline). */
    @FunctionalInterface
    interface Request {
        void send(AwsRequestOverrideConfiguration override);
    }

    /** One cleanup request that keeps to the deadline given; a failure's message says what storage answered. */
    @FunctionalInterface
    interface TimedRequest {
        void send(Duration timeout) throws IOException;
    }

    private final String name;
    private final long deadline;
    private ExecutorService thread;

    /** Requests for the cleanup of {@code name}, which must all be done within {@link #BUDGET} from now. */
    CleanupRequests(String name) {
        this.name = name;
        this.deadline = System.nanoTime() + BUDGET.toNanos();
    }

    /** What is left of the budget. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * Sends {@code request} until it succeeds, {@code done} accepts its failure (a 404 for an upload already gone),
     * {@link #ATTEMPTS} attempts failed or the budget is spent.
     *
     * @return {@code null} when it succeeded; otherwise why it did not
     */
    String send(String what, Request request, Predicate<SdkException> done) {
        return send(what, timeout -> {
            try {
                request.send(AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build());
            } catch (SdkException e) {
                if (!done.test(e)) {
                    throw e;
                }
            }
        });
    }

    /**
     * Sends {@code request} until it succeeds, {@link #ATTEMPTS} attempts failed or the budget is spent.
     *
     * @return {@code null} when it succeeded; otherwise why it did not
     */
    String send(String what, TimedRequest request) {
        if (remaining().isZero()) {
            return "no time left for it";
        }
        Future<String> f = executor().submit(() -> attempts(what, request));
        return awaitUninterruptibly(f, what);
    }

    private String attempts(String what, TimedRequest request) throws InterruptedException {
        String failure = "not sent";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                long pause = Math.min(PAUSE.toMillis() << (attempt - 2), remaining().toMillis());
                Thread.sleep(pause);
            }
            Duration left = remaining();
            if (left.toMillis() < 100) {
                return failure + " (" + (attempt - 1) + " attempts, then the cleanup's " + BUDGET.toSeconds()
                        + " s were spent)";
            }
            Duration timeout = left.compareTo(ATTEMPT_TIMEOUT) < 0 ? left : ATTEMPT_TIMEOUT;
            try {
                request.send(timeout);
                return null;
            } catch (SdkException e) {
                failure = S3Errors.describe(e);
                LOGGER.log(Level.FINE, what + ": attempt " + attempt + " of " + ATTEMPTS + " failed", e);
            } catch (IOException | RuntimeException e) {
                failure = String.valueOf(e.getMessage());
                LOGGER.log(Level.FINE, what + ": attempt " + attempt + " of " + ATTEMPTS + " failed", e);
            }
        }
        return failure + " (" + ATTEMPTS + " attempts)";
    }

    private String awaitUninterruptibly(Future<String> f, String what) {
        boolean interrupted = false;
        // The attempts end by themselves at the deadline; the margin lets the last one report.
        long until = deadline + TimeUnit.SECONDS.toNanos(2);
        try {
            while (true) {
                try {
                    return f.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // the stop is already under way; this cleanup is part of it
                } catch (ExecutionException e) {
                    return String.valueOf(e.getCause());
                } catch (TimeoutException e) {
                    f.cancel(true);
                    return "no answer within the cleanup's " + BUDGET.toSeconds() + " s";
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            LOGGER.fine(() -> what + ": done");
        }
    }

    private synchronized ExecutorService executor() {
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "pgbackup-cleanup " + name);
                t.setDaemon(true);
                return t;
            });
        }
        return thread;
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdown();
        }
    }
}
