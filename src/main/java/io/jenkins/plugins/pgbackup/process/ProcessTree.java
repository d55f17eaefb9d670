package io.jenkins.plugins.pgbackup.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/** Ends a process together with everything it started: a killed pg_dump wrapper must not leave pg_dump running. */
final class ProcessTree {
    private static final Logger LOGGER = Logger.getLogger(ProcessTree.class.getName());

    private ProcessTree() {}

    /**
     * Asks the process and its descendants to terminate, waits up to {@code grace}, then kills what is left. Works
     * whether or not the calling thread is interrupted; the interrupt status is preserved.
     */
    static void destroy(ProcessHandle root, Duration grace) {
        boolean interrupted = Thread.interrupted();
        try {
            List<ProcessHandle> all = snapshot(root);
            all.forEach(ProcessHandle::destroy);
            waitForExit(all, grace);
            // Children may have forked between the snapshot and the signal: look again before the hard kill.
            for (ProcessHandle h : snapshot(root)) {
                if (!all.contains(h)) {
                    all.add(h);
                }
            }
            for (ProcessHandle h : all) {
                if (h.isAlive()) {
                    LOGGER.fine(() -> "killing process " + h.pid() + " forcibly");
                    h.destroyForcibly();
                }
            }
            waitForExit(all, grace);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The root first, then its descendants, all found before any is signalled: once the root is gone its children
     * can no longer be found through it. Signalling the root first keeps a wrapper script from carrying on (say,
     * reporting success) when its child dies before it does.
     */
    private static List<ProcessHandle> snapshot(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        return all;
    }

    private static void waitForExit(List<ProcessHandle> handles, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : handles) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOGGER.fine(() -> "cannot wait for process " + h.pid() + ": " + e.getCause());
            }
        }
    }
}
