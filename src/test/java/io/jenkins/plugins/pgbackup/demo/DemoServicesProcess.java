package io.jenkins.plugins.pgbackup.demo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@link DemoServices} in a JVM of its own and stops it again. A JVM of its own because S3Proxy brings Jetty 11,
 * jclouds and Guice, which must not meet the classes of the Jenkins they serve; and because its standard input is a
 * pipe from this JVM, it stops itself when this one ends, even when killed.
 */
public final class DemoServicesProcess implements AutoCloseable {
    static final String PORT = "PORT ";
    static final String ENDPOINT = "ENDPOINT ";
    static final String READY = "READY";
    private static final long START_TIMEOUT_SECONDS = 180;

    private final Process process;
    private final DemoEnvironment environment;

    private DemoServicesProcess(Process process, DemoEnvironment environment) {
        this.process = process;
        this.environment = environment;
    }

    /**
     * Starts the services and waits until they listen.
     *
     * @param classPath the demo's class path: the test classes, the plugin's classes and the test dependencies
     * @param log where the services' own log lines go, and where what they print after starting goes
     */
    public static DemoServicesProcess start(Path dir, Path binaries, String classPath, File log,
            Consumer<String> output) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.add("-cp");
        command.add(classPath);
        command.add(DemoServices.class.getName());
        command.add(dir.toAbsolutePath().toString());
        command.add(binaries.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log));
        // The class path goes on the command line, never a secret: the secrets are in the demo folder's file.
        Process process = pb.start();
        try {
            DemoEnvironment env = awaitReady(process, dir, log, output);
            return new DemoServicesProcess(process, env);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static DemoEnvironment awaitReady(Process process, Path dir, File log, Consumer<String> output)
            throws IOException, InterruptedException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        int[] port = {-1};
        URI[] endpoint = {null};
        boolean[] ready = {false};
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(PORT)) {
                        port[0] = Integer.parseInt(line.substring(PORT.length()).trim());
                    } else if (line.startsWith(ENDPOINT)) {
                        endpoint[0] = URI.create(line.substring(ENDPOINT.length()).trim());
                    } else if (line.equals(READY)) {
                        synchronized (ready) {
                            ready[0] = true;
                            ready.notifyAll();
                        }
                    } else {
                        output.accept(line);
                    }
                }
            } catch (IOException e) {
                output.accept("The demo services' output ended: " + e);
            } finally {
                synchronized (ready) {
                    ready.notifyAll();
                }
            }
        }, "pgbackup-demo-services-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        synchronized (ready) {
            while (!ready[0] && process.isAlive() && System.nanoTime() < deadline) {
                ready.wait(500);
            }
            if (!ready[0]) {
                throw new IOException(process.isAlive()
                        ? "The demo services did not start within " + START_TIMEOUT_SECONDS + " seconds"
                        : "The demo services stopped with exit code " + process.waitFor()
                                + ": see " + log);
            }
        }
        DemoSecrets secrets = DemoSecrets.load(dir);
        if (secrets == null) {
            throw new IOException("The demo services started without their secrets in " + dir);
        }
        return new DemoEnvironment(port[0], endpoint[0], secrets);
    }

    public DemoEnvironment environment() {
        return environment;
    }

    /** Closes the services' standard input, so they stop the database and the S3 API, and waits for them. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
