package io.jenkins.plugins.pgbackup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup whose storage cannot be used fails before pg_dump starts, saying why first; an interrupted backup says
 * what was stopped. Real PostgreSQL 17, real pg_dump behind a wrapper that records real dumps, real S3 API.
 */
class BackupStopAndPreflightTest {
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z]\\w*");

    private static S3ProxyServer s3;
    private static String bucket;
    private static PostgresServers.Server server;

    @TempDir
    Path tmp;
    private Path dumps;
    private ToolLocations recordingClient;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.inMemory();
        bucket = s3.createBucket();
        server = PostgresServers.get(17);
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    /**
     * pg_dump 17 behind a script that notes every real dump before running it: not the probes of its version and
     * compression support, which run beside the storage check.
     */
    @BeforeEach
    void recordingPgDump() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        dumps = tmp.resolve("dumps-started");
        Path script = bin.resolve("pg_dump");
        Files.writeString(script, "#!/bin/sh\n"
                + "case \"$*\" in *probe*) ;; *--format=*) echo \"$*\" >> '" + dumps + "' ;; esac\n"
                + "exec '" + PgClients.tool(17, "pg_dump") + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        recordingClient = ToolLocations.of(List.of(), List.of(), List.of(bin.toString()));
    }

    private BackupRequest request(ConnectionSpec spec, StorageSettings storage) {
        return BackupRequest.builder(spec, storage).toolLocations(recordingClient).backupBy("preflight test").build();
    }

    private static String table(String database) throws SQLException {
        server.createDatabase(database);
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS t");
            s.execute("CREATE TABLE t AS SELECT i AS id FROM generate_series(1, 1000) i");
        }
        return database;
    }

    @Test
    void theRecordingClientRecordsARealDump() throws Exception {
        String db = table("recorded");
        BackupResult r = new BackupEngine().run(request(server.spec(db), s3.settings(bucket, "recorded")),
                new RecordingLog());
        assertTrue(r.getKey().startsWith("recorded/"), r.getKey());
        assertTrue(Files.exists(dumps), "the wrapper noted the dump: the tests below can tell when pg_dump ran");
    }

    @Test
    void anUnreachableEndpointFailsInSecondsBeforePgDumpWithTheCauseFirst() throws Exception {
        String db = table("unreachable");
        String endpoint = "http://127.0.0.1:" + closedPort();
        StorageSettings storage = s3.settings(bucket, "x").toBuilder().endpoint(endpoint).build();
        RecordingLog log = new RecordingLog();
        long start = System.nanoTime();
        BackupException e = assertThrows(BackupException.class,
                () -> new BackupEngine().run(request(server.spec(db), storage), log));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(e.getMessage().startsWith("Cannot reach the S3 endpoint " + endpoint + ": connection refused"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("Nothing was dumped or stored."), e.getMessage());
        assertFalse(CLASS_NAME.matcher(e.getMessage()).find(), e.getMessage());
        assertTrue(millis < 5000, "took " + millis + " ms");
        assertFalse(Files.exists(dumps), "pg_dump never started");
        assertFalse(log.all().contains("Plan: pg_dump"), log.all());
    }

    @Test
    void aMissingBucketFailsBeforePgDumpAndIsNamed() throws Exception {
        String db = table("nobucket");
        BackupException e = assertThrows(BackupException.class, () -> new BackupEngine()
                .run(request(server.spec(db), s3.settings("missing-bucket", "")), new RecordingLog()));
        assertTrue(e.getMessage().startsWith("Bucket missing-bucket does not exist at " + s3.endpoint()),
                e.getMessage());
        assertFalse(CLASS_NAME.matcher(e.getMessage()).find(), e.getMessage());
        assertFalse(Files.exists(dumps), "pg_dump never started");
    }

    @Test
    void aBackupInterruptedWhilePgDumpRunsSaysNothingWasStoredAndLeavesNothing() throws Exception {
        String db = table("interrupted_dump");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection lock = server.connect(db); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
            BackupEngine engine = new BackupEngine();
            Future<BackupResult> backup = pool.submit(() -> engine.run(
                    request(server.spec(db), s3.settings(bucket, "interrupted")), new RecordingLog()));
            ProcessHandle pgDump = awaitProcess("pg_dump", "interrupted_dump");
            assertEquals("The backup of interrupted_dump was stopped after pg_dump started: pg_dump was stopped; "
                    + "nothing was stored.", engine.stopSummary(), "as things stand");
            pool.shutdownNow(); // interrupts the backup's thread, as an abort does
            ExecutionException e = assertThrows(ExecutionException.class, () -> backup.get(60, TimeUnit.SECONDS));
            StoppedException stopped = assertInstanceOf(StoppedException.class, e.getCause());
            // pg_dump wrote nothing, so no upload was ever created: nothing to abort, and the line does not claim it
            assertEquals("The backup of interrupted_dump was stopped after pg_dump started: pg_dump was stopped; "
                    + "nothing was stored.", stopped.summary());
            assertTrue(pgDump.onExit().isDone() || !pgDump.isAlive(), "pg_dump was stopped");
            lock.rollback();
        } finally {
            pool.shutdownNow();
        }
        assertTrue(s3.client().listObjectsV2(b -> b.bucket(bucket).prefix("interrupted/")).contents().isEmpty());
        assertTrue(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty(), "open uploads");
    }

    @Test
    void aBackupInterruptedBeforePgDumpSaysSo() throws Exception {
        String db = table("interrupted_early");
        Thread.currentThread().interrupt();
        try {
            StoppedException e = assertThrows(StoppedException.class, () -> new BackupEngine()
                    .run(request(server.spec(db), s3.settings(bucket, "early")), new RecordingLog()));
            assertEquals("The backup of interrupted_early was stopped before pg_dump started: nothing was stored.",
                    e.summary());
        } finally {
            Thread.interrupted();
        }
        assertFalse(Files.exists(dumps), "pg_dump never started");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static ProcessHandle awaitProcess(String program, String argument) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> p = ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                    .map(c -> c.contains(program) && c.contains(argument) && !c.contains("/bin/sh")).orElse(false))
                    .findFirst();
            if (p.isPresent()) {
                Thread.sleep(300); // let it connect and block on the lock
                return p.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(program + " for " + argument + " never started");
    }
}
