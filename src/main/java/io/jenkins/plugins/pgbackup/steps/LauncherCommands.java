package io.jenkins.plugins.pgbackup.steps;

import hudson.Launcher;
import hudson.Proc;
import io.jenkins.plugins.pgbackup.process.CommandLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * On the controller: runs the engine's commands with the build's {@link Launcher} as the step context hands it over,
 * that is decorated for the container of the enclosing {@code container(...)} or {@code docker...inside} block. The
 * engine on the agent calls it through a remote reference; only commands, exit statuses and the launcher's own few
 * lines of output cross the controller, never the tool's data (those go through named pipes on the agent).
 */
final class LauncherCommands implements CommandLauncher {
    private static final Logger LOGGER = Logger.getLogger(LauncherCommands.class.getName());
    /** What a command prints itself (the wrapper, docker exec) is only ever a few lines; the rest is dropped. */
    private static final int OUTPUT_LIMIT = 16 * 1024;
    private static final AtomicLong IDS = new AtomicLong();

    private final Launcher launcher;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private record Running(Proc proc, CompletableFuture<Integer> exit, Capped output) {}

    LauncherCommands(Launcher launcher) {
        this.launcher = launcher;
    }

    @Override
    public String launch(List<String> command, Map<String, String> environment, String directory)
            throws IOException {
        Capped output = new Capped();
        // quiet: the command line is the plugin's business; the build log says what the engine does.
        Proc proc = launcher.launch().cmds(command).envs(environment).pwd(directory).quiet(true).stdout(output)
                .stderr(output).start();
        String handle = "tool-" + IDS.incrementAndGet();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                exit.complete(proc.join());
            } catch (IOException | InterruptedException | RuntimeException e) {
                exit.completeExceptionally(e);
            }
        }, "PostgreSQL Backup: waiting for " + handle);
        waiter.setDaemon(true);
        waiter.start();
        running.put(handle, new Running(proc, exit, output));
        return handle;
    }

    @Override
    public Exit waitFor(String handle, long millis) throws IOException, InterruptedException {
        Running r = running.get(handle);
        if (r == null) {
            throw new IOException("no such command: " + handle);
        }
        try {
            int status = r.exit().get(millis, TimeUnit.MILLISECONDS);
            running.remove(handle);
            return new Exit(status, r.output().text());
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            running.remove(handle);
            return new Exit(-1, r.output().text() + "\n" + e.getCause());
        }
    }

    @Override
    public void kill(String handle) throws IOException, InterruptedException {
        Running r = running.get(handle);
        if (r != null) {
            LOGGER.fine(() -> "killing " + handle);
            r.proc().kill();
        }
    }

    /** The first bytes of what a command printed itself. */
    private static final class Capped extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (kept.size() < OUTPUT_LIMIT) {
                kept.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            kept.write(b, off, Math.max(0, Math.min(len, OUTPUT_LIMIT - kept.size())));
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
