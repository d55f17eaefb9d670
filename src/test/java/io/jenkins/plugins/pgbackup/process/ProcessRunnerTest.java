package io.jenkins.plugins.pgbackup.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class ProcessRunnerTest {
    @TempDir
    Path dir;

    @Test
    void capturesStdoutStderrAndExitStatusSeparately() throws Exception {
        Path s = Scripts.write(dir, "three", "echo out; echo err >&2; exit 3");
        ProcessResult r = ProcessRunner.of(List.of(s.toString())).run();
        assertEquals(3, r.exitCode());
        assertFalse(r.succeeded());
        assertEquals("out\n", r.stdoutText());
        assertEquals("err\n", r.stderr());
        assertEquals("three exited with status 3: err", r.describeFailure());
    }

    @Test
    void passesEachArgumentVerbatimWithoutAShell() throws Exception {
        Path s = Scripts.write(dir, "args", "printf '%s\\n' \"$@\"");
        List<String> args = List.of("a b", "$HOME", "; rm -rf /", "'quoted'", "\"double\"", "*", "back\\slash");
        List<String> command = new ArrayList<>(List.of(s.toString()));
        command.addAll(args);
        ProcessResult r = ProcessRunner.of(command).run();
        assertEquals(String.join("\n", args) + "\n", r.stdoutText());
    }

    @Test
    void everyProgramRunsInTheToolEnvironmentAndKeepsWhatTheCallerAdds() throws Exception {
        Path s = Scripts.write(dir, "env", "echo \"${LC_MESSAGES:-unset}|${LANGUAGE:-unset}|${LC_ALL:-unset}|"
                + "${PGPASSFILE:-unset}\"");
        ProcessResult r = ProcessRunner.of(List.of(s.toString())).environment("PGPASSFILE", "/tmp/mine").run();
        assertEquals("C|unset|unset|/tmp/mine\n", r.stdoutText());
    }

    @Test
    void addsAndRemovesEnvironmentAndRunsInTheWorkingDirectory() throws Exception {
        Path s = Scripts.write(dir, "env", "echo \"$PGBACKUP_ADDED|${HOME:-unset}|$(pwd)\"");
        Path work = Files.createDirectory(dir.resolve("work"));
        ProcessResult r = ProcessRunner.of(List.of(s.toString()))
                .environment(Map.of("PGBACKUP_ADDED", "yes"))
                .removeEnvironment(List.of("HOME"))
                .directory(work)
                .run();
        assertEquals("yes|unset|" + work.toRealPath() + "\n", r.stdoutText());
    }

    @Test
    void timeoutKillsTheWholeProcessTreeAndSaysAfterHowLong() throws Exception {
        Path s = Scripts.write(dir, "hangs", "sleep 300 & echo $! > child; echo $$ > parent; echo working >&2; wait");
        long start = System.nanoTime();
        ProcessTimeoutException e = assertThrows(ProcessTimeoutException.class,
                () -> ProcessRunner.of(List.of(s.toString())).directory(dir).timeout(Duration.ofSeconds(1)).run());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().startsWith("hangs timed out after 1 second"), e.getMessage());
        assertTrue(e.getMessage().contains("working"), "keeps the last output: " + e.getMessage());
        assertTrue(elapsedMs < 4_000, "bounded: " + elapsedMs + " ms");
        assertFalse(Scripts.alive(Scripts.awaitPid(dir.resolve("parent"))), "the script was killed");
        assertFalse(Scripts.alive(Scripts.awaitPid(dir.resolve("child"))), "its child sleep was killed");
    }

    @Test
    void processesThatIgnoreSigtermAreKilledForcibly() throws Exception {
        // Ignored signals stay ignored across fork and exec: neither the script nor its sleep ends on SIGTERM.
        Path s = Scripts.write(dir, "stubborn", "trap '' TERM; sleep 300 & echo $! > child; echo $$ > parent; wait");
        assertThrows(ProcessTimeoutException.class, () -> ProcessRunner.of(List.of(s.toString())).directory(dir)
                .timeout(Duration.ofMillis(500)).killGrace(Duration.ofMillis(300)).run());
        assertFalse(Scripts.alive(Scripts.awaitPid(dir.resolve("parent"))));
        assertFalse(Scripts.alive(Scripts.awaitPid(dir.resolve("child"))));
    }

    @Test
    void interruptingTheCallerKillsTheTree() throws Exception {
        Path s = Scripts.write(dir, "long", "sleep 300 & echo $! > child; echo $$ > parent; wait");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                ProcessRunner.of(List.of(s.toString())).directory(dir).timeout(Duration.ofMinutes(5)).run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        long child = Scripts.awaitPid(dir.resolve("child"));
        long parent = Scripts.awaitPid(dir.resolve("parent"));
        caller.interrupt();
        caller.join(10_000);
        assertFalse(caller.isAlive(), "run() returned after the interrupt");
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertFalse(Scripts.alive(parent));
        assertFalse(Scripts.alive(child));
    }

    @Test
    void stderrKeepsABoundedSanitizedTail() throws Exception {
        String secret = "S3cr3t-" + System.nanoTime();
        Path s = Scripts.write(dir, "noisy", "i=0; while [ $i -lt 4000 ]; do echo \"noise line $i with " + secret
                + "\" >&2; i=$((i+1)); done\n"
                + "echo 'conninfo host=db password=hunter2 user=x' >&2\n"
                + "echo 'uri postgresql://app:hunter3@db.example:5432/prod' >&2\n"
                + "echo 'the last line mentions " + secret + "' >&2; exit 1");
        ProcessResult r = ProcessRunner.of(List.of(s.toString())).secrets(List.of(secret)).stderrLimit(4096).run();
        String err = r.stderr();
        assertTrue(r.stderrTruncated());
        assertTrue(err.startsWith("[... "), err.substring(0, 40));
        assertTrue(err.length() < 4096 + 40, "bounded: " + err.length());
        assertTrue(err.endsWith("the last line mentions ****\n"), "keeps the tail: " + err);
        assertTrue(err.contains("password=**** user=x"), err);
        assertTrue(err.contains("postgresql://app:****@db.example:5432/prod"), err);
        assertFalse(err.contains(secret));
        assertFalse(err.contains("hunter2"));
        assertFalse(err.contains("hunter3"));
    }

    @Test
    void streamsStdoutToAConsumer() throws Exception {
        Path s = Scripts.write(dir, "five-mb", "head -c 5000000 /dev/zero");
        AtomicLong bytes = new AtomicLong();
        ProcessResult r = ProcessRunner.of(List.of(s.toString())).stdout(in -> bytes.set(in.transferTo(
                java.io.OutputStream.nullOutputStream()))).run();
        assertTrue(r.succeeded());
        assertEquals(5_000_000, bytes.get());
        assertEquals(0, r.stdout().length, "streamed, not captured");
    }

    @Test
    void theConsumerNeverSeesACleanEndWhenTheProcessFails() throws Exception {
        Path s = Scripts.write(dir, "partial", "printf 'half a dump'; echo 'pg_dump: error: oops' >&2; exit 1");
        AtomicReference<IOException> seen = new AtomicReference<>();
        AtomicReference<String> read = new AtomicReference<>();
        ProcessResult r = ProcessRunner.of(List.of(s.toString())).stdout(in -> {
            StringBuilder sb = new StringBuilder();
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    sb.append((char) b);
                }
            } catch (IOException e) {
                seen.set(e);
                throw e;
            } finally {
                read.set(sb.toString());
            }
        }).run();
        assertEquals("half a dump", read.get());
        assertTrue(seen.get() != null && seen.get().getMessage().contains("exited with status 1"),
                "reading the end of a failed process's output fails: " + seen.get());
        assertEquals(1, r.exitCode(), "the process's failure is the result, not the consumer's");
        assertTrue(r.stderr().contains("oops"));
    }

    @Test
    void aFailingConsumerStopsTheProcess() throws Exception {
        Path s = Scripts.write(dir, "endless", "echo $$ > pid; exec yes");
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> ProcessRunner.of(List.of(s.toString())).directory(dir)
                .stdout(in -> {
                    in.readNBytes(1 << 20);
                    throw new IOException("upload failed: bucket gone");
                }).run());
        assertTrue(e.getMessage().contains("upload failed: bucket gone"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000);
        assertFalse(Scripts.alive(Scripts.awaitPid(dir.resolve("pid"))));
    }

    @Test
    void feedsStdinFromASource() throws Exception {
        byte[] data = new byte[3_000_000];
        new Random(42).nextBytes(data);
        AtomicReference<byte[]> echoed = new AtomicReference<>();
        ProcessResult r = ProcessRunner.of(List.of("cat"))
                .stdin(out -> out.write(data))
                .stdout(in -> echoed.set(in.readAllBytes()))
                .run();
        assertTrue(r.succeeded());
        assertArrayEquals(sha256(data), sha256(echoed.get()));
    }

    @Test
    void aProcessThatStopsReadingEarlyIsNotASourceFailure() throws Exception {
        ProcessResult r = ProcessRunner.of(List.of("head", "-c", "10"))
                .stdin(out -> {
                    byte[] chunk = new byte[65536];
                    for (int i = 0; i < 200; i++) {
                        out.write(chunk);
                    }
                }).run();
        assertTrue(r.succeeded(), r.describeFailure());
        assertEquals(10, r.stdout().length);
    }

    @Test
    void aFailingSourceStopsTheProcessBeforeItSeesTheEndOfItsInput() throws Exception {
        Path s = Scripts.write(dir, "restore", "cat > received; echo complete > finished");
        IOException e = assertThrows(IOException.class, () -> ProcessRunner.of(List.of(s.toString())).directory(dir)
                .stdin(out -> {
                    out.write(new byte[100_000]);
                    out.flush();
                    throw new IOException("download interrupted");
                }).run());
        assertTrue(e.getMessage().contains("the input of restore failed"), e.getMessage());
        assertTrue(e.getMessage().contains("download interrupted"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("finished")), "the process never took the truncated input as complete");
    }

    @Test
    void capturedStdoutIsBounded() throws Exception {
        ProcessResult r = ProcessRunner.of(List.of("head", "-c", "100000", "/dev/zero")).stdoutCaptureLimit(1000)
                .run();
        assertTrue(r.succeeded());
        assertEquals(1000, r.stdout().length);
        assertTrue(r.stdoutTruncated());
    }

    @Test
    void aMissingProgramIsAClearError() {
        IOException e = assertThrows(IOException.class,
                () -> ProcessRunner.of(List.of(dir.resolve("no-such-pg_dump").toString())).run());
        assertTrue(e.getMessage().startsWith("cannot run no-such-pg_dump"), e.getMessage());
    }

    @Test
    void describesTimeoutsInTheUnitsUsersSetThem() {
        assertEquals("30 minutes", ProcessTimeoutException.describe(Duration.ofMinutes(30)));
        assertEquals("1 minute", ProcessTimeoutException.describe(Duration.ofMinutes(1)));
        assertEquals("90 seconds", ProcessTimeoutException.describe(Duration.ofSeconds(90)));
        assertEquals("250 ms", ProcessTimeoutException.describe(Duration.ofMillis(250)));
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
