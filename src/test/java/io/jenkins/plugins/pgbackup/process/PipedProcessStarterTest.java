package io.jenkins.plugins.pgbackup.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.testing.ContainerLikeLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Programs started through a launcher elsewhere, with their streams in named pipes under a shared directory. */
class PipedProcessStarterTest {
    @TempDir
    Path tmp;

    private Path shared;
    private Path bin;
    private ContainerLikeLauncher container;
    private PipedProcessStarter starter;

    @BeforeEach
    void setUp() throws IOException {
        shared = Files.createDirectories(tmp.resolve("ws@tmp"));
        bin = Files.createDirectories(tmp.resolve("container-bin"));
        container = new ContainerLikeLauncher(bin, tmp.resolve("container-home"));
        starter = new PipedProcessStarter(container, shared, tmp.toString(), "test container");
    }

    private Path script(String name, String body) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        f.toFile().setExecutable(true);
        return f;
    }

    private List<Path> leftovers() throws IOException {
        Path pipes = shared.resolve(PipedProcessStarter.PIPES_DIRECTORY);
        if (!Files.exists(pipes)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(pipes)) {
            return s.filter(p -> !p.equals(pipes)).toList();
        }
    }

    @Test
    void streamsStdinThroughTheProgramToStdoutAndKeepsStderrAndTheExitStatus() throws Exception {
        script("upcase", "tr a-z A-Z; echo oops >&2; exit 3");
        byte[] big = "hello pipes\n".repeat(200_000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream got = new ByteArrayOutputStream();

        ProcessResult r = ProcessRunner.of(List.of("upcase")).starter(starter)
                .stdin(out -> out.write(big)).stdout(in -> in.transferTo(got)).run();

        assertEquals(3, r.exitCode());
        assertTrue(r.stderr().contains("oops"), r.stderr());
        assertEquals(big.length, got.size(), "what the consumer read before the failure");
        assertTrue(leftovers().isEmpty(), "pipes left: " + leftovers());
    }

    @Test
    void capturesStdoutOfAProgramOnlyTheContainerHasInItsOwnWorkingDirectory() throws Exception {
        script("whereami", "pwd; echo \"$PGBACKUP_TEST\"");

        ProcessResult r = ProcessRunner.of(List.of("whereami")).environment("PGBACKUP_TEST", "seen")
                .starter(starter).run();

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(tmp.resolve("container-home") + "\nseen\n", r.stdoutText());
        assertThrows(IOException.class, () -> ProcessRunner.of(List.of("whereami")).run(),
                "this JVM has no such program");
    }

    @Test
    void hasThePasswordFileCopiedToAPrivateFileInTheContainerAndRemovedAfterwards() throws Exception {
        script("showpass", "ls -l \"$PGPASSFILE\" | cut -c1-10; cat \"$PGPASSFILE\"; echo \"$PGPASSFILE\"");
        Path pgpass = Files.writeString(tmp.resolve("agent.pgpass"), "h:5432:*:u:s3cret\n");

        ProcessResult r = ProcessRunner.of(List.of("showpass")).environment(PgPassFile.VARIABLE, pgpass.toString())
                .starter(starter).run();

        List<String> lines = r.stdoutText().lines().toList();
        assertEquals("-rw-------", lines.get(0), r.stdoutText() + r.stderr());
        assertEquals("h:5432:*:u:s3cret", lines.get(1));
        assertTrue(lines.get(2).startsWith(container.tmp().toString()), lines.get(2));
        assertFalse(Files.exists(Path.of(lines.get(2))), "the container's copy is deleted");
        try (Stream<Path> s = Files.list(container.tmp())) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void removesInheritedVariablesButKeepsTheOnesItSets() throws Exception {
        script("env-of", "echo \"host=${PGHOST-unset} mode=${PGSSLMODE-unset}\"");

        ProcessResult r = ProcessRunner.of(List.of("env-of")).starter(starter)
                .removeEnvironment(List.of("PGHOST", "PGSSLMODE")).environment("PGSSLMODE", "require").run();

        assertEquals("host=unset mode=require\n", r.stdoutText());
    }

    @Test
    void stopsTheProgramInTheContainerOnTimeoutThoughKillingTheLauncherWouldNot() throws Exception {
        String marker = "pgbackup-sleeper-" + UUID.randomUUID();
        script("sleeper", "exec sleep 300 # " + marker);
        Path sleeper = script(marker, "exec sleep 300");

        assertThrows(ProcessTimeoutException.class, () -> ProcessRunner.of(List.of(sleeper.toString()))
                .starter(starter).timeout(Duration.ofSeconds(2)).killGrace(Duration.ofSeconds(1))
                .stdout(in -> in.transferTo(OutputStreamSink.INSTANCE)).run());

        assertFalse(running(marker), "the program in the container was stopped");
        assertTrue(leftovers().isEmpty(), "pipes left: " + leftovers());
    }

    @Test
    void stopsTheProgramBeforeItsInputEndsWhenTheSourceFails() throws Exception {
        Path counted = tmp.resolve("counted");
        script("counter", "wc -c > " + counted + "; echo done >> " + counted);

        assertThrows(IOException.class, () -> ProcessRunner.of(List.of("counter")).starter(starter)
                .killGrace(Duration.ofSeconds(1)).stdin(out -> {
                    out.write(new byte[1000]);
                    out.flush();
                    throw new IOException("the backup's stream broke");
                }).run());

        assertFalse(Files.exists(counted) && Files.readString(counted).contains("done"),
                "the program never took the cut input for a whole one");
        assertTrue(leftovers().isEmpty(), "pipes left: " + leftovers());
    }

    @Test
    void saysWhatIsMissingWhenTheContainerDoesNotSeeTheSharedDirectory() throws Exception {
        ContainerLikeLauncher other = new ContainerLikeLauncher(bin, tmp.resolve("other"));
        PipedProcessStarter blind = new PipedProcessStarter(new CommandLauncher() {
            @Override
            public String launch(List<String> command, java.util.Map<String, String> environment, String directory)
                    throws IOException {
                // The wrapper's first argument: the pipes' directory, at a path this "container" does not have.
                List<String> elsewhere = new java.util.ArrayList<>(command);
                elsewhere.set(4, "/nonexistent/" + UUID.randomUUID());
                return other.launch(elsewhere, environment, directory);
            }

            @Override
            public Exit waitFor(String handle, long millis) throws InterruptedException {
                return other.waitFor(handle, millis);
            }

            @Override
            public void kill(String handle) {
                other.kill(handle);
            }
        }, shared, tmp.toString(), "test container");
        script("hello", "echo hello");

        ProcessResult r = ProcessRunner.of(List.of("hello")).starter(blind).timeout(Duration.ofSeconds(30)).run();

        assertTrue(r.exitCode() != 0);
        assertTrue(r.stderr().contains("must see the workspace's temporary directory"), r.stderr());
        assertTrue(leftovers().isEmpty(), "pipes left: " + leftovers());
    }

    static boolean running(String marker) {
        return ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine().orElse("").contains(marker));
    }

    /** Discards. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
