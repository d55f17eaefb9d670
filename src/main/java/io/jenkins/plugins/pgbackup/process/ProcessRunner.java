package io.jenkins.plugins.pgbackup.process;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Runs one external program (pg_dump, pg_restore, psql) without a shell: an argument list, environment additions, a
 * working directory; stdout streamed to a consumer or captured, stdin fed from a source, stderr kept as a bounded,
 * sanitized tail. Every program runs in the {@link ToolEnvironment}: English messages, none of the agent's libpq
 * variables. A timeout, an interrupt of the calling thread (a Jenkins abort) or a failing consumer or source
 * kills the whole process tree. Where the process runs is the {@link ProcessStarter}'s business: this machine by
 * default, a container's when a build step runs inside one.
 *
 * <p>Configure it, then call {@link #run()}:
 *
 * <pre>{@code
 * ProcessResult r = ProcessRunner.of(List.of(pgDump.toString(), "--format=custom", ...))
 *         .environment(pgpass.environment())
 *         .secrets(List.of(spec.getPassword()))
 *         .timeout(Duration.ofMinutes(30))
 *         .stdout(in -> upload(in))
 *         .run();
 * }</pre>
 */
public final class ProcessRunner {
    private static final Logger LOGGER = Logger.getLogger(ProcessRunner.class.getName());

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    public static final int DEFAULT_STDERR_LIMIT = 64 * 1024;
    public static final int DEFAULT_STDOUT_CAPTURE_LIMIT = 4 * 1024 * 1024;
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
    /** How long a still-busy stdin source may take once the process has exited (it may stop reading early). */
    private static final Duration STDIN_LINGER = Duration.ofMillis(200);

    /**
     * Reads the process's stdout. The stream reports its end only once the process has exited with status 0; if the
     * process fails or is stopped, reading throws an {@link IOException} instead, so a consumer that completes an
     * upload at end of stream never completes a partial one.
     */
    @FunctionalInterface
    public interface StdoutConsumer {
        void consume(InputStream stdout) throws IOException;
    }

    /** Writes the process's stdin; the runner closes it afterwards. */
    @FunctionalInterface
    public interface StdinSource {
        void writeTo(OutputStream stdin) throws IOException;
    }

    private final List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Set<String> removedEnvironment = new LinkedHashSet<>();
    private final List<String> secrets = new ArrayList<>();
    private Path directory;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration killGrace = DEFAULT_KILL_GRACE;
    private StdoutConsumer stdoutConsumer;
    private StdinSource stdinSource;
    private int stderrLimit = DEFAULT_STDERR_LIMIT;
    private int stdoutCaptureLimit = DEFAULT_STDOUT_CAPTURE_LIMIT;
    private String name;
    private ProcessStarter starter = ProcessStarter.local();

    private ProcessRunner(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        command.forEach(a -> Objects.requireNonNull(a, "command argument"));
        this.command = List.copyOf(command);
        Path program = Path.of(command.get(0)).getFileName();
        this.name = program == null ? command.get(0) : program.toString();
    }

    /** The executable followed by its arguments, each one list element (never parsed by a shell). */
    public static ProcessRunner of(List<String> command) {
        return new ProcessRunner(command);
    }

    /**
     * Adds environment variables to those the JVM has, after {@link ToolEnvironment} made them the tools' own
     * (English messages, none of libpq's variables): what is added here is meant and is kept.
     */
    public ProcessRunner environment(Map<String, String> additions) {
        additions.forEach(this::environment);
        return this;
    }

    public ProcessRunner environment(String variable, String value) {
        environment.put(Objects.requireNonNull(variable, "variable"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Removes inherited environment variables (such as {@code PGPASSWORD} or {@code PGSERVICE}). */
    public ProcessRunner removeEnvironment(Collection<String> variables) {
        removedEnvironment.addAll(variables);
        return this;
    }

    public ProcessRunner directory(Path workingDirectory) {
        this.directory = workingDirectory;
        return this;
    }

    /** The longest the process, and the streaming of its output, may take; {@link #DEFAULT_TIMEOUT} by default. */
    public ProcessRunner timeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeout = limit;
        return this;
    }

    /** How long a process may take to end after SIGTERM before it is killed. */
    public ProcessRunner killGrace(Duration grace) {
        this.killGrace = Objects.requireNonNull(grace);
        return this;
    }

    /** Streams stdout to a consumer, run on a thread of its own. Without one, stdout is captured. */
    public ProcessRunner stdout(StdoutConsumer consumer) {
        this.stdoutConsumer = consumer;
        return this;
    }

    /** Feeds stdin from a source, run on a thread of its own. Without one, stdin is closed at once. */
    public ProcessRunner stdin(StdinSource source) {
        this.stdinSource = source;
        return this;
    }

    /** Values removed from stderr and messages, such as the password. */
    public ProcessRunner secrets(Collection<String> values) {
        values.stream().filter(Objects::nonNull).forEach(secrets::add);
        return this;
    }

    /** How many bytes of stderr to keep, the last ones; {@link #DEFAULT_STDERR_LIMIT} by default. */
    public ProcessRunner stderrLimit(int bytes) {
        this.stderrLimit = bytes;
        return this;
    }

    /** How many bytes of captured stdout to keep, the first ones. */
    public ProcessRunner stdoutCaptureLimit(int bytes) {
        this.stdoutCaptureLimit = bytes;
        return this;
    }

    /** Where and how the process starts; {@link ProcessStarter#local()} by default. */
    public ProcessRunner starter(ProcessStarter value) {
        this.starter = Objects.requireNonNull(value, "starter");
        return this;
    }

    /** The name messages use; the executable's file name by default. */
    public ProcessRunner name(String displayName) {
        this.name = Objects.requireNonNull(displayName);
        return this;
    }

    /**
     * Starts the process and waits for it and its streams.
     *
     * @return how it ended; a non-zero exit status is a result, not an exception
     * @throws ProcessTimeoutException if it ran out of time (the process tree was killed)
     * @throws IOException if it cannot start, or the stdout consumer or stdin source failed (the tree was killed)
     * @throws InterruptedException if the calling thread was interrupted (the tree was killed)
     */
    public ProcessResult run() throws IOException, InterruptedException {
        ProcessSpec spec = new ProcessSpec(command, toolEnvironment(), toolRemovals(), directory,
                stdinSource != null);
        LOGGER.fine(() -> "running " + Sanitizer.sanitize(String.join(" ", command), secrets));
        StartedProcess process;
        try {
            process = starter.start(spec);
        } catch (IOException e) {
            throw new IOException("cannot run " + name + ": " + Sanitizer.sanitize(e.getMessage(), secrets), e);
        }
        return new Execution(process).await();
    }

    /**
     * What the program gets on top of what it inherits: the {@link ToolEnvironment}'s additions (from this JVM's
     * environment, which a local program inherits), then this runner's own variables.
     */
    private Map<String, String> toolEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(ToolEnvironment.additions(System.getenv()));
        env.putAll(environment);
        return env;
    }

    /** What the program must not inherit: the {@link ToolEnvironment}'s removals and this runner's own. */
    private Set<String> toolRemovals() {
        Set<String> removed = new LinkedHashSet<>(ToolEnvironment.REMOVED_VARIABLES);
        removed.addAll(removedEnvironment);
        return removed;
    }

    /** Why the runner ended a process. */
    private enum Stop {
        TIMED_OUT("timed out"),
        INTERRUPTED("interrupted"),
        CONSUMER_FAILED("its output consumer failed"),
        SOURCE_FAILED("its input failed");

        final String text;

        Stop(String text) {
            this.text = text;
        }
    }

    /** One run: the process, the threads serving its streams, and what went wrong. */
    private final class Execution {
        private final StartedProcess process;
        private final long startNanos = System.nanoTime();
        private final long deadlineNanos;
        private final BoundedTail stderr = new BoundedTail(stderrLimit);
        private final CappedBuffer captured = new CappedBuffer(stdoutCaptureLimit);
        private final AtomicReference<Exception> consumerFailure = new AtomicReference<>();
        private final AtomicReference<Exception> sourceFailure = new AtomicReference<>();
        private volatile Stop stopReason;
        /** Set once the process has exited and its stdin source is no longer waited for. */
        private volatile boolean stdinAbandoned;
        private final Thread stderrThread;
        private final Thread stdoutThread;
        private final Thread stdinThread;

        Execution(StartedProcess process) {
            this.process = process;
            this.deadlineNanos = startNanos + timeout.toNanos();
            String suffix = name + "-" + process.id();
            stderrThread = daemon(this::copyStderr, "stderr of " + suffix);
            stdoutThread = daemon(stdoutConsumer == null ? this::captureStdout : this::streamStdout, "stdout of " + suffix);
            stdinThread = stdinSource == null ? null : daemon(this::feedStdin, "stdin of " + suffix);
            if (stdinThread == null) {
                closeQuietly(process.stdin());
            }
        }

        private Thread daemon(Runnable body, String threadName) {
            Thread t = new Thread(body, threadName);
            t.setDaemon(true);
            t.start();
            return t;
        }

        ProcessResult await() throws IOException, InterruptedException {
            try {
                if (!process.waitFor(nanosLeft(), TimeUnit.NANOSECONDS)) {
                    stop(Stop.TIMED_OUT);
                } else if (!joinUntilDeadline(stdoutThread) || !joinUntilDeadline(stderrThread)) {
                    stop(Stop.TIMED_OUT);
                }
                lingerForStdin();
            } catch (InterruptedException e) {
                stop(Stop.INTERRUPTED);
                // Reported by the exception, as usual: the caller's cleanup should not trip over the flag.
                Thread.interrupted();
                throw e;
            }
            return outcome();
        }

        private ProcessResult outcome() throws IOException {
            String err = Sanitizer.sanitize(stderr.text(), secrets);
            if (stopReason == Stop.TIMED_OUT) {
                throw new ProcessTimeoutException(name, timeout, err);
            }
            Exception consumer = consumerFailure.get();
            if (consumer != null) {
                throw new IOException("processing the output of " + name + " failed, so it was stopped: "
                        + Sanitizer.sanitize(String.valueOf(consumer.getMessage()), secrets), consumer);
            }
            Exception source = sourceFailure.get();
            if (source != null) {
                throw new IOException("the input of " + name + " failed, so it was stopped: "
                        + Sanitizer.sanitize(String.valueOf(source.getMessage()), secrets), source);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            return new ProcessResult(name, process.exitValue(), captured.bytes(), captured.truncated(), err,
                    stderr.truncated(), took);
        }

        private long nanosLeft() {
            return Math.max(0, deadlineNanos - System.nanoTime());
        }

        private boolean joinUntilDeadline(Thread t) throws InterruptedException {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanosLeft())));
            return !t.isAlive();
        }

        private void lingerForStdin() throws InterruptedException {
            if (stdinThread != null) {
                stdinThread.join(STDIN_LINGER.toMillis());
                if (stdinThread.isAlive()) {
                    stdinAbandoned = true;
                    stdinThread.interrupt();
                }
            }
        }

        /** Kills the tree once, then lets the stream threads finish (they end when the pipes close). */
        private void stop(Stop reason) {
            synchronized (this) {
                if (stopReason == null) {
                    stopReason = reason;
                }
            }
            LOGGER.fine(() -> "stopping " + name + " (" + reason.text + ")");
            process.destroy(killGrace);
            // The stream threads stop themselves after a failure of their own; otherwise wake them.
            if (reason == Stop.TIMED_OUT || reason == Stop.INTERRUPTED) {
                interrupt(stdoutThread);
                interrupt(stdinThread);
                joinQuietly(stdoutThread);
                joinQuietly(stderrThread);
            }
        }

        private void interrupt(Thread t) {
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
            }
        }

        private void joinQuietly(Thread t) {
            boolean interrupted = Thread.interrupted();
            try {
                t.join(killGrace.toMillis());
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void copyStderr() {
            try (InputStream in = process.stderr()) {
                in.transferTo(stderr);
            } catch (IOException e) {
                LOGGER.fine(() -> "stderr of " + name + " closed: " + e);
            }
        }

        private void captureStdout() {
            try (InputStream in = process.stdout()) {
                in.transferTo(captured);
            } catch (IOException e) {
                LOGGER.fine(() -> "stdout of " + name + " closed: " + e);
            }
        }

        private void streamStdout() {
            try (InputStream in = new GatedStdout(process.stdout())) {
                stdoutConsumer.consume(in);
                // A consumer that stops early must not leave the process blocked on a full pipe.
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException | RuntimeException e) {
                if (stopReason == null && !causedBy(e, ProducerFailed.class)) {
                    consumerFailure.compareAndSet(null, e);
                    stop(Stop.CONSUMER_FAILED);
                }
            }
        }

        private void feedStdin() {
            PipeOutput pipe = new PipeOutput(process.stdin());
            try {
                stdinSource.writeTo(pipe);
            } catch (IOException | RuntimeException e) {
                // A process that stops reading early (pg_restore --list) breaks the pipe: not the source's failure.
                // A failed source is recorded and the process stopped before stdin closes, so the process never
                // takes a truncated input for a complete one.
                if (stopReason == null && !stdinAbandoned && !pipe.broken) {
                    sourceFailure.compareAndSet(null, e);
                    stop(Stop.SOURCE_FAILED);
                }
            } finally {
                closeQuietly(pipe);
            }
        }

        /** Ends the stream only when the process succeeded; otherwise reading fails. */
        private final class GatedStdout extends FilterInputStream {
            GatedStdout(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    checkProducer();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    checkProducer();
                }
                return n;
            }

            private void checkProducer() throws IOException {
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ProducerFailed(name + " output interrupted");
                }
                Stop reason = stopReason;
                if (reason != null) {
                    throw new ProducerFailed(name + " was stopped: " + reason.text);
                }
                if (process.exitValue() != 0) {
                    throw new ProducerFailed(name + " exited with status " + process.exitValue());
                }
            }
        }
    }

    static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            LOGGER.fine(() -> "closing stdin: " + e);
        }
    }

    /** What the stdout stream throws instead of reporting its end when the process failed or was stopped. */
    static final class ProducerFailed extends IOException {
        private static final long serialVersionUID = 1L;

        ProducerFailed(String message) {
            super(message);
        }
    }

    /** Notes that writing to the process failed, which means the process closed its stdin. */
    private static final class PipeOutput extends FilterOutputStream {
        volatile boolean broken;

        PipeOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }
    }

    /** Keeps the first bytes of captured stdout, counts and drops the rest. */
    private static final class CappedBuffer extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int limit;
        private boolean truncated;

        CappedBuffer(int limit) {
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = limit - kept.size();
            if (len > room) {
                truncated = true;
            }
            kept.write(b, off, Math.max(0, Math.min(room, len)));
        }

        synchronized byte[] bytes() {
            return kept.toByteArray();
        }

        synchronized boolean truncated() {
            return truncated;
        }
    }
}
