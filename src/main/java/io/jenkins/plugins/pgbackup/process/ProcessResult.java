package io.jenkins.plugins.pgbackup.process;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a process ended: its exit status, what it printed (stdout only when it was captured rather than streamed), and
 * how long it ran. stderr is already sanitized.
 */
public final class ProcessResult implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int exitCode;
    private final byte[] stdout;
    private final boolean stdoutTruncated;
    private final String stderr;
    private final boolean stderrTruncated;
    private final Duration duration;

    ProcessResult(String name, int exitCode, byte[] stdout, boolean stdoutTruncated, String stderr,
            boolean stderrTruncated, Duration duration) {
        this.name = name;
        this.exitCode = exitCode;
        this.stdout = stdout.clone();
        this.stdoutTruncated = stdoutTruncated;
        this.stderr = stderr;
        this.stderrTruncated = stderrTruncated;
        this.duration = duration;
    }

    /** The program's name for messages: "pg_dump". */
    public String name() {
        return name;
    }

    public int exitCode() {
        return exitCode;
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Captured stdout; empty when a consumer streamed it. */
    public byte[] stdout() {
        return stdout.clone();
    }

    /** Captured stdout as UTF-8 text. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** True when the captured stdout exceeded its limit and only its beginning was kept. */
    public boolean stdoutTruncated() {
        return stdoutTruncated;
    }

    /** The end of stderr, sanitized; starts with "[... N bytes omitted ...]" when its beginning was dropped. */
    public String stderr() {
        return stderr;
    }

    public boolean stderrTruncated() {
        return stderrTruncated;
    }

    public Duration duration() {
        return duration;
    }

    /** "pg_dump exited with status 1: <stderr tail>", for error messages. */
    public String describeFailure() {
        String tail = stderr.strip();
        return name + " exited with status " + exitCode + (tail.isEmpty() ? "" : ": " + tail);
    }

    @Override
    public String toString() {
        return name + " exit " + exitCode + " after " + duration.toMillis() + " ms";
    }
}
