package io.jenkins.plugins.pgbackup.dump;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs cleanup work on a thread nobody interrupts and waits for it, bounded and deaf to interruptions: the S3 client
 * refuses to send from an interrupted thread, and a stopped backup's cleanup must still happen.
 */
final class Aside {
    private Aside() {}

    /** {@code work}'s answer, or why there is none: a failure, or no answer within {@code max}. */
    static String call(Supplier<String> work, Duration max) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(work.get());
            } catch (RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        }, "pgbackup-cleanup");
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        long deadline = System.nanoTime() + max.toNanos();
        try {
            while (true) {
                try {
                    return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return String.valueOf(e.getCause().getMessage());
                } catch (TimeoutException e) {
                    return "no answer within " + max.toSeconds() + " s";
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
