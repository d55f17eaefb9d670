package io.jenkins.plugins.pgbackup.process;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Starts programs through a {@link CommandLauncher} (in the container a build step runs in) while their data stay on
 * this machine: each program's stdin, stdout and stderr are named pipes in a private directory under a directory both
 * sides see at the same path (the workspace's temporary directory), which this JVM reads and writes as it would a
 * local process's streams. Only the command, the exit status and a wrapper's own messages cross the launcher.
 *
 * <p>The program runs under a small {@code sh} wrapper ({@link #WRAPPER}) that
 * <ul>
 * <li>connects the program to the pipes;</li>
 * <li>copies the password file this JVM writes into a pipe to a file of its own, private to the user the program
 * runs as there ({@code mktemp}, mode 0600), points {@code PGPASSFILE} at it and deletes it when it exits: the
 * password is on no command line and in no environment, and the other side may be another user;</li>
 * <li>terminates the program when this JVM asks for it with a {@code stop} file, since ending the launcher's own
 * process ({@code docker exec}, a Kubernetes exec) does not end what it started in the container.</li>
 * </ul>
 *
 * <p>The pipes' directory is named at random inside a directory that cannot be listed (0711), so only this JVM and the
 * program know their paths; it is deleted when the program has ended.
 */
public final class PipedProcessStarter implements ProcessStarter {
    private static final Logger LOGGER = Logger.getLogger(PipedProcessStarter.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** How long the launcher is asked to wait in one call: short enough to notice a stop quickly. */
    private static final long POLL_MILLIS = 2000;
    /** The wrapper looks for the stop file this often; it gives the program as long to end before SIGKILL. */
    private static final Duration WRAPPER_POLL = Duration.ofSeconds(1);
    private static final Duration WRAPPER_GRACE = Duration.ofSeconds(5);
    static final String PIPES_DIRECTORY = "pgbackup-pipes";

    /**
     * {@code sh -c WRAPPER sh <pipe directory> <program> <arguments...>}; the variables to remove follow in
     * {@code $PGBACKUP_UNSET}.
     */
    static final String WRAPPER = String.join("\n",
            "d=$1; shift",
            "for v in $PGBACKUP_UNSET; do unset \"$v\"; done; unset PGBACKUP_UNSET",
            "if [ -p \"$d/pass\" ]; then",
            "  p=$(umask 077 && mktemp) || exit 125",
            "  trap 'rm -f \"$p\"' EXIT; trap 'exit 143' HUP INT TERM",
            "  cat \"$d/pass\" > \"$p\" || exit 125",
            "  PGPASSFILE=$p; export PGPASSFILE",
            "fi",
            "i=/dev/null; [ -p \"$d/in\" ] && i=$d/in",
            "\"$@\" < \"$i\" > \"$d/out\" 2> \"$d/err\" &",
            "t=$!",
            "( while [ ! -e \"$d/stop\" ]; do kill -0 \"$t\" 2>/dev/null || exit 0; sleep "
                    + WRAPPER_POLL.toSeconds() + "; done",
            "  kill -TERM \"$t\" 2>/dev/null; sleep " + WRAPPER_GRACE.toSeconds() + "; kill -KILL \"$t\" 2>/dev/null"
                    + " ) < /dev/null > /dev/null 2>&1 &",
            "w=$!",
            "wait \"$t\"; s=$?",
            "kill \"$w\" 2>/dev/null",
            "exit $s");

    private final CommandLauncher launcher;
    private final Path shared;
    private final String directory;
    private final String description;

    /**
     * @param launcher runs the wrapper where the build's shell steps run
     * @param shared a directory this JVM and the programs see at the same path (the workspace's {@code @tmp})
     * @param directory the programs' working directory as they see it (the workspace)
     * @param description where the programs run, for messages ("container of the build's launcher")
     */
    public PipedProcessStarter(CommandLauncher launcher, Path shared, String directory, String description) {
        this.launcher = Objects.requireNonNull(launcher);
        this.shared = Objects.requireNonNull(shared);
        this.directory = directory;
        this.description = description;
    }

    @Override
    public boolean isLocal() {
        return false;
    }

    @Override
    public Path sharedDirectory() {
        return shared;
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public StartedProcess start(ProcessSpec spec) throws IOException {
        Path pipes = pipeDirectory();
        try {
            return Piped.start(this, spec, pipes);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(pipes);
            throw e;
        } catch (InterruptedException e) {
            deleteQuietly(pipes);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while starting " + spec.command().get(0));
        }
    }

    /** A new directory for one program's pipes, in a parent nobody else can list. */
    private Path pipeDirectory() throws IOException {
        Path parent = shared.resolve(PIPES_DIRECTORY);
        try {
            Files.createDirectories(parent);
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx--x--x"));
        } catch (UnsupportedOperationException e) {
            throw new IOException("named pipes need a Unix file system; " + shared + " is not one", e);
        }
        for (int attempt = 0; ; attempt++) {
            byte[] name = new byte[16];
            RANDOM.nextBytes(name);
            Path dir = parent.resolve(HexFormat.of().formatHex(name));
            try {
                Files.createDirectory(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
                return dir;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 3) {
                    throw e;
                }
            }
        }
    }

    static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOGGER.fine(() -> "cannot delete " + dir + ": " + e);
        }
    }

    /** One program started through the launcher. */
    private static final class Piped implements StartedProcess {
        private final PipedProcessStarter starter;
        private final Path pipes;
        private final String handle;
        private final NamedPipe in;
        private final NamedPipe out;
        private final NamedPipe err;
        private final NamedPipe pass;
        private final CompletableFuture<CommandLauncher.Exit> exit = new CompletableFuture<>();
        private final String program;
        private volatile boolean cleaned;

        private Piped(PipedProcessStarter starter, Path pipes, String handle, NamedPipe in, NamedPipe out,
                NamedPipe err, NamedPipe pass, String program) {
            this.starter = starter;
            this.pipes = pipes;
            this.handle = handle;
            this.in = in;
            this.out = out;
            this.err = err;
            this.pass = pass;
            this.program = program;
        }

        static Piped start(PipedProcessStarter starter, ProcessSpec spec, Path pipes)
                throws IOException, InterruptedException {
            NamedPipe out = new NamedPipe(pipes.resolve("out"));
            NamedPipe err = new NamedPipe(pipes.resolve("err"));
            NamedPipe in = spec.feedsStdin() ? new NamedPipe(pipes.resolve("in")) : null;
            String passFile = spec.environment().get(PgPassFile.VARIABLE);
            NamedPipe pass = passFile != null ? new NamedPipe(pipes.resolve("pass")) : null;
            // Written by the program's user, read here; read by it, written here.
            NamedPipe.make(List.of(out.path(), err.path()), "rw--w--w-");
            List<Path> readByProgram = new ArrayList<>();
            if (in != null) {
                readByProgram.add(in.path());
            }
            if (pass != null) {
                readByProgram.add(pass.path());
            }
            if (!readByProgram.isEmpty()) {
                NamedPipe.make(readByProgram, "rw-r--r--");
            }
            Map<String, String> env = new LinkedHashMap<>(spec.environment());
            env.remove(PgPassFile.VARIABLE);
            List<String> unset = spec.removedEnvironment().stream()
                    .filter(v -> VARIABLE.matcher(v).matches() && !env.containsKey(v)).sorted().toList();
            env.put("PGBACKUP_UNSET", String.join(" ", unset));
            List<String> command = new ArrayList<>(List.of("sh", "-c", WRAPPER, "sh", pipes.toString()));
            command.addAll(spec.command());
            String dir = spec.directory() != null ? spec.directory().toString() : starter.directory;
            String handle = starter.launcher.launch(command, env, dir);
            Piped p = new Piped(starter, pipes, handle, in, out, err, pass,
                    String.valueOf(Path.of(spec.command().get(0)).getFileName()));
            if (pass != null) {
                p.feedPassword(Path.of(passFile));
            }
            return p;
        }

        /** The password file's content into its pipe, on a thread of its own: the open waits for the wrapper. */
        private void feedPassword(Path file) {
            Thread t = new Thread(() -> {
                try (OutputStream o = pass.output()) {
                    o.write(Files.readAllBytes(file));
                } catch (IOException e) {
                    LOGGER.fine(() -> "the password did not reach " + program + ": " + e);
                }
            }, "password for " + program + " " + handle);
            t.setDaemon(true);
            t.start();
        }

        @Override
        public String id() {
            return handle;
        }

        @Override
        public OutputStream stdin() {
            return in != null ? in.output() : OutputStream.nullOutputStream();
        }

        @Override
        public InputStream stdout() {
            return out.input();
        }

        /** The program's stderr, then what the wrapper or the launcher printed themselves. */
        @Override
        public InputStream stderr() {
            InputStream launcherOutput = new InputStream() {
                private InputStream text;

                private InputStream text() throws IOException {
                    if (text == null) {
                        text = new ByteArrayInputStream(launcherText().getBytes(StandardCharsets.UTF_8));
                    }
                    return text;
                }

                @Override
                public int read() throws IOException {
                    return text().read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return text().read(b, off, len);
                }
            };
            return new SequenceInputStream(err.input(), launcherOutput);
        }

        private String launcherText() throws IOException {
            CommandLauncher.Exit e;
            try {
                e = exit.get();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            } catch (ExecutionException ex) {
                return "";
            }
            String text = e.output() == null ? "" : e.output().strip();
            if (e.status() != 0 && !err.everOpened()) {
                text += (text.isEmpty() ? "" : "\n") + program + " never opened its pipes in " + pipes + ": the "
                        + starter.description + " must see the workspace's temporary directory at the same path as the"
                        + " agent, and have sh and " + program + " (exit status " + e.status() + ")";
            }
            return text.isEmpty() ? "" : text + "\n";
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (!exit.isDone()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                poll(Math.min(left, POLL_MILLIS));
            }
            return true;
        }

        @Override
        public int waitFor() throws InterruptedException {
            while (!exit.isDone()) {
                poll(POLL_MILLIS);
            }
            return exitValue();
        }

        private void poll(long millis) throws InterruptedException {
            CommandLauncher.Exit e;
            try {
                e = starter.launcher.waitFor(handle, millis);
            } catch (IOException ex) {
                // The launcher is gone (the agent's connection, the container): the program is taken as ended.
                LOGGER.fine(() -> "lost " + program + " " + handle + ": " + ex);
                e = new CommandLauncher.Exit(-1, "lost the " + starter.description + ": " + ex.getMessage());
            }
            if (e != null) {
                ended(e);
            }
        }

        private void ended(CommandLauncher.Exit e) {
            exit.complete(e);
            cleanUp();
        }

        /** The pipes nobody will open any more are released (their waiting ends), then removed. */
        private synchronized void cleanUp() {
            if (cleaned) {
                return;
            }
            cleaned = true;
            for (NamedPipe p : new NamedPipe[] {out, err, in, pass}) {
                if (p != null) {
                    p.release();
                }
            }
            deleteQuietly(pipes);
        }

        @Override
        public int exitValue() {
            CommandLauncher.Exit e = exit.getNow(null);
            if (e == null) {
                throw new IllegalThreadStateException(program + " has not exited");
            }
            return e.status();
        }

        /**
         * Asks the wrapper to terminate the program (the stop file), waits for it, then ends the launcher's own
         * process too. Only then are the pipes released: a psql reading a script must be gone before its input
         * ends, or it would take a cut script for a whole one.
         */
        @Override
        public void destroy(Duration grace) {
            boolean interrupted = Thread.interrupted();
            try {
                if (!exit.isDone()) {
                    requestStop();
                    waitFor(grace.plus(WRAPPER_POLL).plus(WRAPPER_GRACE).toMillis(), TimeUnit.MILLISECONDS);
                }
                if (!exit.isDone()) {
                    starter.launcher.kill(handle);
                    waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (IOException e) {
                LOGGER.fine(() -> "cannot stop " + program + " " + handle + ": " + e);
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                ended(new CommandLauncher.Exit(143, "stopped"));
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void requestStop() {
            try {
                Files.createFile(pipes.resolve("stop"));
            } catch (IOException e) {
                LOGGER.fine(() -> "cannot ask " + program + " to stop: " + e);
            }
        }
    }
}
