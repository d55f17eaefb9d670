package io.jenkins.plugins.pgbackup.testing;

import io.jenkins.plugins.pgbackup.process.CommandLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs commands the way a container of a decorated launcher would, as far as the engine can tell: a fresh environment
 * whose {@code PATH} holds a client directory the engine's JVM does not search, its own working directory and
 * {@code TMPDIR}, and a {@link #kill} that ends only the launched process itself (as killing a {@code docker exec}
 * client leaves what it started running in the container).
 */
public final class ContainerLikeLauncher implements CommandLauncher {
    private final String path;
    private final Path home;
    private final Path tmp;
    private final Map<String, Launched> launched = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    private record Launched(Process process, ByteArrayOutputStream output, Thread reader) {}

    /**
     * @param clientBin the only client directory the "container" has, first on its {@code PATH}
     * @param home its working directory and {@code HOME}; {@code home/tmp} is its {@code TMPDIR}
     */
    public ContainerLikeLauncher(Path clientBin, Path home) throws IOException {
        this.path = clientBin + ":/usr/bin:/bin";
        this.home = Files.createDirectories(home);
        this.tmp = Files.createDirectories(home.resolve("tmp"));
    }

    /** The container's temporary directory: where the wrapper keeps its password file while the tool runs. */
    public Path tmp() {
        return tmp;
    }

    /** How many commands were launched. */
    public int launches() {
        return count.get();
    }

    @Override
    public String launch(List<String> command, Map<String, String> environment, String directory)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", path);
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.putAll(environment);
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(output);
            } catch (IOException e) {
                // the process is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        String handle = "c" + count.incrementAndGet();
        launched.put(handle, new Launched(p, output, reader));
        return handle;
    }

    @Override
    public Exit waitFor(String handle, long millis) throws InterruptedException {
        Launched l = launched.get(handle);
        if (!l.process().waitFor(millis, TimeUnit.MILLISECONDS)) {
            return null;
        }
        l.reader().join(1000);
        launched.remove(handle);
        String text;
        synchronized (l.output()) {
            text = l.output().toString(StandardCharsets.UTF_8);
        }
        return new Exit(l.process().exitValue(), text);
    }

    @Override
    public void kill(String handle) {
        Launched l = launched.get(handle);
        if (l != null) {
            l.process().destroyForcibly();
        }
    }
}
