package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.process.ProcessTimeoutException;
import io.jenkins.plugins.pgbackup.process.StderrLines;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the restore's programs, alone or piped ({@code pg_restore -f - | psql}, {@code zstd -dc | psql}), with the
 * password only in a PGPASSFILE, and turns every way they can end into a success or a {@link RestoreException}. Any
 * non-zero exit status, and any {@code ERROR} in the output of one that exited 0, is a failure.
 */
final class RestoreRun {
    /** What a server before 17 answers to the statement clients 17 and newer write. */
    static final String TRANSACTION_TIMEOUT_REJECTED = "unrecognized configuration parameter \"transaction_timeout\"";
    private static final int PSQL_STDOUT_LIMIT = 8 * 1024;

    private final Map<String, String> environment;
    private final List<String> secrets;
    private final Duration timeout;
    private final ProcessStarter starter;

    RestoreRun(Map<String, String> environment, List<String> secrets, Duration timeout) {
        this(environment, secrets, timeout, ProcessStarter.local());
    }

    RestoreRun(Map<String, String> environment, List<String> secrets, Duration timeout, ProcessStarter starter) {
        this.starter = starter;
        this.environment = environment;
        this.secrets = secrets;
        this.timeout = timeout;
    }

    /**
     * Runs one program (pg_restore, or psql for a script the JVM feeds it).
     *
     * @param input its stdin, or {@code null} for none
     */
    ProcessResult single(String name, List<String> command, ProcessRunner.StdinSource input)
            throws RestoreException, InterruptedException {
        ProcessRunner runner = runner(name, command);
        if (input != null) {
            runner.stdin(input);
        }
        ProcessResult result;
        try {
            result = runner.run();
        } catch (IOException e) {
            throw broken(name, e);
        }
        return checked(result);
    }

    /**
     * Runs {@code producer} with its output piped through {@code filter} into psql. When psql fails, the producer is
     * stopped; when the producer fails, psql is stopped before its input ends, so it never takes a cut script for a
     * whole one.
     *
     * @param input the producer's stdin, or {@code null} for none
     * @return psql's result (the producer succeeded too)
     */
    ProcessResult piped(String producerName, List<String> producer, ProcessRunner.StdinSource input,
            List<String> psql, ScriptFilter filter) throws RestoreException, InterruptedException {
        AtomicReference<ProcessResult> psqlResult = new AtomicReference<>();
        ProcessRunner runner = runner(producerName, producer)
                .stdout(script -> feedPsql(script, psql, filter, psqlResult));
        if (input != null) {
            runner.stdin(input);
        }
        ProcessResult first;
        try {
            first = runner.run();
        } catch (IOException e) {
            ProcessResult p = psqlResult.get();
            if (p != null && failed(p)) {
                throw failure(p);
            }
            throw broken(producerName, e);
        }
        checked(first);
        ProcessResult p = psqlResult.get();
        if (p == null) {
            throw new RestoreException(producerName + " exited normally, but psql never finished; see the log above",
                    first.stderr(), true, null);
        }
        return checked(p);
    }

    private void feedPsql(InputStream script, List<String> psql, ScriptFilter filter,
            AtomicReference<ProcessResult> result) throws IOException {
        try {
            ProcessResult r = runner("psql", psql).stdoutCaptureLimit(PSQL_STDOUT_LIMIT)
                    .stdin(out -> filter.copy(script, out)).run();
            result.set(r);
            if (failed(r)) {
                // Stops the producer: there is no point in writing the rest of a script psql gave up on.
                throw new IOException("psql failed: " + r.describeFailure());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("psql was interrupted");
        }
    }

    private ProcessRunner runner(String name, List<String> command) {
        return ProcessRunner.of(command).name(name).removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE)
                .environment(environment).secrets(secrets).timeout(timeout).stdoutCaptureLimit(PSQL_STDOUT_LIMIT)
                .starter(starter);
    }

    private static ProcessResult checked(ProcessResult r) throws RestoreException {
        if (failed(r)) {
            throw failure(r);
        }
        return r;
    }

    /** A non-zero exit, or an error message from a program that exited 0 all the same. */
    static boolean failed(ProcessResult r) {
        return !r.succeeded() || StderrLines.firstError(r.stderr()) != null;
    }

    private static RestoreException failure(ProcessResult r) {
        String detail = StderrLines.telling(r.stderr());
        String message = r.name() + " failed" + (r.succeeded() ? " (it exited 0 but reported an error)"
                : " with exit code " + r.exitCode()) + ": " + detail;
        if (r.stderr().contains(TRANSACTION_TIMEOUT_REJECTED)) {
            message += ". The target server is older than PostgreSQL 17 and rejects \"" + ScriptFilter.TRANSACTION_TIMEOUT
                    + "\", which clients 17 and newer write; the plugin filters it out only when it knows the server's "
                    + "version. Let it detect the version (or pin the right one), or install the client of the "
                    + "target's major if the backup allows";
        }
        return new RestoreException(message, r.stderr(), true, null);
    }

    /** The program could not run to its end: a timeout, the backup's stream failing, or something else. */
    private RestoreException broken(String name, IOException e) throws InterruptedException {
        ProcessTimeoutException timedOut = cause(e, ProcessTimeoutException.class);
        if (timedOut != null) {
            return new RestoreException(name + " timed out after " + ProcessTimeoutException.describe(timeout)
                    + " and was killed (raise the timeout if the database needs longer)", timedOut.getStderr(), true,
                    e);
        }
        StorageException storage = cause(e, StorageException.class);
        if (storage != null) {
            return new RestoreException("Reading the backup failed during the restore, so " + name + " was stopped "
                    + "before the end of the backup reached it: " + storage.getMessage(), "", true, e);
        }
        InterruptedIOException interrupted = cause(e, InterruptedIOException.class);
        if (interrupted != null) {
            throw BackupTransfer.interrupted(interrupted);
        }
        return new RestoreException(name + " could not complete: " + e.getMessage(), "", true, e);
    }

    static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
