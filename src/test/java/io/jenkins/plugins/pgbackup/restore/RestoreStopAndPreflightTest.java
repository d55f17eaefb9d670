package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.detection.ServerVersion;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.PostgresServers.Server;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A restore whose storage cannot be used fails before the target is touched, saying why first; an interrupted restore
 * says whether the target was touched; a target that does not exist yet has its server's version cached under its own
 * key. Real PostgreSQL 17, real clients, real S3 API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreStopAndPreflightTest {
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z]\\w*");

    private S3ProxyServer s3;
    private Restores restores;
    private Server server;
    private BackupResult backup;

    @BeforeAll
    void backUpATable() throws Exception {
        s3 = S3ProxyServer.inMemory();
        restores = new Restores(s3, "stops");
        server = PostgresServers.get(17);
        String source = Restores.name("stop_source");
        server.createDatabase(source);
        sql(source, "CREATE TABLE t AS SELECT i AS id, md5(i::text) AS v FROM generate_series(1, 1000) i");
        backup = restores.backup(server, source, DumpFormat.CUSTOM, 1);
    }

    @AfterAll
    void stopStorage() throws Exception {
        s3.close();
    }

    @Test
    void anUnreachableEndpointFailsInSecondsBeforeTheTargetIsTouched() throws Exception {
        String target = Restores.name("unreachable_target");
        String endpoint = "http://127.0.0.1:" + closedPort();
        StorageSettings storage = restores.storage().toBuilder().endpoint(endpoint).build();
        RestoreRequest request = RestoreRequest.builder(server.spec(target), storage).key(backup.getKey())
                .createDatabase(true).toolLocations(Restores.clients()).build();
        long start = System.nanoTime();
        RestoreException e = assertThrows(RestoreException.class,
                () -> new RestoreEngine().run(request, new RecordingLog()));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(e.getMessage().startsWith("Cannot reach the S3 endpoint " + endpoint + ": connection refused"),
                e.getMessage());
        assertTrue(e.getMessage().contains("the target database was not touched"), e.getMessage());
        assertFalse(CLASS_NAME.matcher(e.getMessage()).find(), e.getMessage());
        assertFalse(e.isTargetTouched());
        assertTrue(millis < 5000, "took " + millis + " ms");
        assertFalse(exists(target), "not created");
    }

    @Test
    void aMissingBucketIsNamedBeforeTheTargetIsTouched() throws Exception {
        String target = Restores.name("nobucket_target");
        RestoreRequest request = RestoreRequest.builder(server.spec(target), s3.settings("missing-bucket", ""))
                .key(backup.getKey()).createDatabase(true).toolLocations(Restores.clients()).build();
        RestoreException e = assertThrows(RestoreException.class,
                () -> new RestoreEngine().run(request, new RecordingLog()));
        assertTrue(e.getMessage().startsWith("Bucket missing-bucket does not exist"), e.getMessage());
        assertFalse(exists(target));
    }

    @Test
    void aRestoreInterruptedWhilePgRestoreRunsSaysTheTargetMayBePartlyRestored() throws Exception {
        String target = Restores.name("interrupted_target");
        server.createDatabase(target);
        sql(target, "CREATE TABLE t (id int, v text)", "INSERT INTO t VALUES (1, 'kept')");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection lock = server.connect(target); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            // pg_restore --clean drops t first, and waits for this lock
            s.execute("LOCK TABLE t IN ACCESS SHARE MODE");
            RestoreEngine engine = new RestoreEngine();
            Future<RestoreResult> restore = pool.submit(() -> engine.run(restores.request(server.spec(target))
                    .key(backup.getKey()).clean(true).build(), new RecordingLog()));
            awaitProcess("pg_restore", target);
            String expected = "The restore into database " + target + " on " + server.spec(target).getHost() + ":"
                    + server.port() + " was stopped after pg_restore started: the target may be partially restored; "
                    + "restore again with clean, or drop and recreate it.";
            assertEquals(expected, engine.stopSummary(), "as things stand");
            pool.shutdownNow(); // interrupts the restore's thread, as an abort does
            ExecutionException e = assertThrows(ExecutionException.class, () -> restore.get(60, TimeUnit.SECONDS));
            assertEquals(expected, assertInstanceOf(StoppedException.class, e.getCause()).summary());
            lock.rollback();
        } finally {
            pool.shutdownNow();
        }
        assertTrue(findProcess("pg_restore", target).isEmpty(), "pg_restore was stopped");
    }

    @Test
    void aRestoreInterruptedBeforeItStartedLeavesTheTargetUntouched() throws Exception {
        String target = Restores.name("early_target");
        RestoreRequest request = restores.request(server.spec(target)).key(backup.getKey()).createDatabase(true)
                .build();
        Thread.currentThread().interrupt();
        try {
            StoppedException e = assertThrows(StoppedException.class,
                    () -> new RestoreEngine().run(request, new RecordingLog()));
            assertEquals("The restore into database " + target + " on " + server.spec(target).getHost() + ":"
                    + server.port() + " was stopped before the target database was touched: nothing was restored.",
                    e.summary());
        } finally {
            Thread.interrupted();
        }
        assertFalse(exists(target), "not created");
    }

    @Test
    void aTargetThatDoesNotExistYetHasItsServersVersionCachedUnderItsOwnKey() throws Exception {
        String target = Restores.name("new_target");
        ConnectionSpec spec = server.spec(target);
        RestoreResult r = new RestoreEngine().run(restores.request(spec).key(backup.getKey()).createDatabase(true)
                .build(), new RecordingLog());
        assertTrue(r.isDatabaseCreated() || exists(target));
        Map<String, ServerVersion> cached = r.getVersions().entries();
        ServerVersion v = cached.get(spec.serverKey());
        assertNotNull(v, "cached under " + spec.serverKey() + ", has " + cached.keySet());
        assertEquals(17, v.version().major());
        assertFalse(cached.containsKey(spec.withDatabase("postgres").serverKey()), cached.keySet().toString());

        RecordingLog again = new RecordingLog();
        new RestoreEngine().run(restores.request(spec).key(backup.getKey()).clean(true)
                .cachedVersions(r.getVersions(), null).build(), again);
        assertTrue(again.all().contains("PostgreSQL server " + spec.serverKey() + ": " + v.version() + ", detected "),
                "the next restore into it uses the cache: " + again.all());
    }

    private void sql(String database, String... statements) throws SQLException {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    private boolean exists(String database) throws SQLException {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
            return rs.next();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Optional<ProcessHandle> findProcess(String program, String argument) {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                .map(c -> c.contains(program) && c.contains(argument)).orElse(false)).findFirst();
    }

    private static ProcessHandle awaitProcess(String program, String argument) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> p = findProcess(program, argument);
            if (p.isPresent()) {
                Thread.sleep(500); // let it connect and block on the lock
                return p.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(program + " for " + argument + " never started");
    }
}
