package io.jenkins.plugins.pgbackup.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The password file and connection arguments against real clients and a real server that demands a password. */
@EnabledOnOs(OS.LINUX)
class LibpqConnectionTest {
    @TempDir
    Path dir;

    private static List<String> psql(int client, ConnectionSpec spec, String sql) {
        List<String> command = new ArrayList<>(List.of(PgClients.tool(client, "psql").toString()));
        command.addAll(LibpqArguments.connectionArguments(spec));
        command.addAll(List.of("--no-psqlrc", "--tuples-only", "--no-align", "--command", sql));
        return command;
    }

    private ProcessResult run(List<String> command, ConnectionSpec spec) throws Exception {
        try (PgPassFile pgpass = PgPassFile.create(spec, dir)) {
            return ProcessRunner.of(command).removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE)
                    .environment(pgpass.environment()).secrets(List.of(spec.getPassword()))
                    .timeout(Duration.ofSeconds(30)).run();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {13, 18})
    void thePasswordFileLogsInWithAPasswordFullOfSpecialCharacters(int client) throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        ProcessResult r = run(psql(client, server.spec(), "SELECT current_user"), server.spec());
        assertTrue(r.succeeded(), r.describeFailure());
        assertEquals("postgres\n", r.stdoutText());
    }

    @Test
    void thePasswordFileAlsoWorksOverAUnixSocket() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/tmp/.s.PGSQL." + server.port())),
                "the test server has no socket in /tmp");
        ConnectionSpec viaSocket = new ConnectionSpec("/tmp", server.port(), "postgres", "postgres",
                PostgresServers.PASSWORD, io.jenkins.plugins.pgbackup.db.SslMode.DISABLE, 5);
        ProcessResult r = run(psql(17, viaSocket, "SELECT inet_server_addr() IS NULL"), viaSocket);
        assertTrue(r.succeeded(), r.describeFailure());
        assertEquals("t\n", r.stdoutText(), "connected through the socket, not TCP");
    }

    @Test
    void aWrongPasswordFailsClearlyAndAppearsNowhere() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String wrong = "wrong-" + System.nanoTime();
        ConnectionSpec spec = server.specWithPassword(wrong);
        ProcessResult r = run(psql(17, spec, "SELECT 1"), spec);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("password authentication failed for user \"postgres\""), r.stderr());
        assertFalse(r.stderr().contains(wrong));
        assertFalse(r.describeFailure().contains(PostgresServers.PASSWORD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"we=ird 'db' \\ name", "postgresql://evil@elsewhere/db", "dbname=template1", "Ünï cødé"})
    void databaseNamesAreTakenLiterally(String database) throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        server.createDatabase(database);
        ConnectionSpec spec = server.spec(database);
        ProcessResult r = run(psql(17, spec, "SELECT current_database()"), spec);
        assertTrue(r.succeeded(), r.describeFailure());
        assertEquals(database + "\n", r.stdoutText());
    }

    @Test
    void thePasswordIsNeitherInTheArgumentsNorInTheEnvironmentOfTheRunningClient() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        ConnectionSpec spec = server.spec();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<ProcessResult> result = new AtomicReference<>();
        List<String> sleeping = psql(17, spec, "SELECT pg_sleep(3)");
        Thread t = new Thread(() -> {
            try {
                result.set(run(sleeping, spec));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        ProcessHandle client = awaitClient();
        List<String> args = client.info().arguments().map(List::of).orElseThrow();
        String environ = Files.readString(Path.of("/proc", Long.toString(client.pid()), "environ"),
                StandardCharsets.ISO_8859_1);
        t.join(30_000);
        assertTrue(args.stream().anyMatch(a -> a.endsWith("/psql")), "found the client: " + args);
        assertFalse(String.join(" ", args).contains(PostgresServers.PASSWORD), "not in the arguments");
        assertTrue(environ.contains("PGPASSFILE="), "the password file is named");
        assertFalse(environ.contains(PostgresServers.PASSWORD), "not in the environment");
        assertEquals(null, failure.get());
        assertTrue(result.get().succeeded(), result.get().describeFailure());
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the password file is gone");
        }
    }

    private static ProcessHandle awaitClient() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> found = ProcessHandle.current().descendants()
                    .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("pg_sleep")).orElse(false))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the psql process did not show up");
    }
}
