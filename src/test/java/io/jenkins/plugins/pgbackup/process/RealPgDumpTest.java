package io.jenkins.plugins.pgbackup.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The runner with a real pg_dump (through the installer's wrapper) and a real server. */
@EnabledOnOs(OS.LINUX)
class RealPgDumpTest {
    private static final String DATABASE = "runner test \"db\"";

    @TempDir
    Path dir;

    private static ConnectionSpec prepare() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        server.createDatabase(DATABASE);
        try (Connection c = server.connect(DATABASE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS numbers AS SELECT g AS n FROM generate_series(1, 10000) g");
        }
        return server.spec(DATABASE);
    }

    private static List<String> pgDump(ConnectionSpec spec) {
        List<String> command = new ArrayList<>(List.of(PgClients.tool(17, "pg_dump").toString(), "--format=custom"));
        command.addAll(LibpqArguments.connectionArguments(spec));
        return command;
    }

    private ProcessRunner runner(ConnectionSpec spec, PgPassFile pgpass) {
        return ProcessRunner.of(pgDump(spec)).removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE)
                .environment(pgpass.environment()).secrets(List.of(spec.getPassword()));
    }

    @Test
    void streamsARealDumpToTheConsumer() throws Exception {
        ConnectionSpec spec = prepare();
        Path archive = dir.resolve("out.dump");
        ProcessResult r;
        try (PgPassFile pgpass = PgPassFile.create(spec, dir);
                OutputStream out = Files.newOutputStream(archive)) {
            r = runner(spec, pgpass).stdout(in -> in.transferTo(out)).run();
        }
        assertTrue(r.succeeded(), r.describeFailure());
        byte[] head = new byte[5];
        try (var in = Files.newInputStream(archive)) {
            assertEquals(5, in.read(head));
        }
        assertEquals("PGDMP", new String(head, StandardCharsets.US_ASCII));
        ProcessResult list = ProcessRunner.of(List.of(PgClients.tool(17, "pg_restore").toString(), "--list",
                archive.toString())).run();
        assertTrue(list.stdoutText().contains("TABLE DATA public numbers"), list.stdoutText());
    }

    @Test
    void aPgDumpThatHangsIsKilledAtTheTimeoutAndItsConsumerSeesAFailure() throws Exception {
        ConnectionSpec spec = prepare();
        PostgresServers.Server server = PostgresServers.get(17);
        try (Connection locker = server.connect(DATABASE); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            // pg_dump waits for ever for its ACCESS SHARE lock on this table.
            s.execute("LOCK TABLE numbers IN ACCESS EXCLUSIVE MODE");
            AtomicReference<IOException> consumerSaw = new AtomicReference<>();
            AtomicReference<Long> pid = new AtomicReference<>();
            Thread watcher = new Thread(() -> pid.set(awaitPgDump()));
            watcher.start();
            long start = System.nanoTime();
            try (PgPassFile pgpass = PgPassFile.create(spec, dir)) {
                ProcessRunner runner = runner(spec, pgpass);
                ProcessTimeoutException e = assertThrows(ProcessTimeoutException.class,
                        () -> runner.timeout(Duration.ofSeconds(3)).stdout(in -> {
                            try {
                                in.transferTo(OutputStream.nullOutputStream());
                            } catch (IOException failure) {
                                consumerSaw.set(failure);
                                throw failure;
                            }
                        }).run());
                assertTrue(e.getMessage().startsWith("pg_dump timed out after 3 seconds"), e.getMessage());
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 3_000 && ms < 10_000, ms + " ms");
            watcher.join(5_000);
            assertTrue(pid.get() != null, "saw the running pg_dump");
            assertFalse(Scripts.alive(pid.get()), "pg_dump is gone");
            assertTrue(consumerSaw.get() != null, "the consumer got an error, not a clean end of a partial dump");
            locker.rollback();
        }
        assertTrue(serverSessionEnds(server), "the server no longer sees pg_dump's session");
    }

    private static Long awaitPgDump() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> found = ProcessHandle.current().descendants().filter(p -> p.info().arguments()
                    .map(a -> String.join(" ", a).contains("--format=custom")).orElse(false)).findFirst();
            if (found.isPresent()) {
                return found.get().pid();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean serverSessionEnds(PostgresServers.Server server) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump'")) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        return true;
                    }
                }
                Thread.sleep(50);
            }
        }
        return false;
    }
}
