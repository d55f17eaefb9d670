package io.jenkins.plugins.pgbackup.process;

import java.io.IOException;
import java.io.Serial;
import java.time.Duration;

/** A process ran longer than allowed; it was killed together with its child processes. */
public final class ProcessTimeoutException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Duration timeout;
    private final String stderr;

    ProcessTimeoutException(String name, Duration timeout, String stderr) {
        super(name + " timed out after " + describe(timeout) + " and was killed with its child processes"
                + (stderr.isBlank() ? "" : "; its last output: " + stderr.strip()));
        this.timeout = timeout;
        this.stderr = stderr;
    }

    public Duration getTimeout() {
        return timeout;
    }

    /** The sanitized end of its stderr. */
    public String getStderr() {
        return stderr;
    }

    /** "30 minutes", "1 minute", "90 seconds", "250 ms". */
    public static String describe(Duration d) {
        long seconds = d.getSeconds();
        if (d.getNano() == 0 && seconds >= 60 && seconds % 60 == 0) {
            long minutes = seconds / 60;
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        if (d.getNano() == 0 && seconds > 0) {
            return seconds + (seconds == 1 ? " second" : " seconds");
        }
        return d.toMillis() + " ms";
    }
}
