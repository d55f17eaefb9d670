package io.jenkins.plugins.pgbackup.notify;

import java.time.Duration;

/** Waits between delivery attempts; tests pass one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());
}
