package io.jenkins.plugins.pgbackup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupException;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.process.PipedProcessStarter;
import io.jenkins.plugins.pgbackup.restore.RestoreEngine;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import io.jenkins.plugins.pgbackup.restore.RestoreResult;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.ContainerLikeLauncher;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import io.jenkins.plugins.pgbackup.verify.VerifyEngine;
import io.jenkins.plugins.pgbackup.verify.VerifyRequest;
import io.jenkins.plugins.pgbackup.verify.VerifyResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engines with their clients started through a launcher elsewhere (as inside {@code container(...)} or
 * {@code docker.image(...).inside}): the only clients are on that side's PATH (client 17), which this JVM's search
 * does not know; the data travel through named pipes in a shared directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerEnginesTest {
    /** Nowhere on this JVM's side: only the "container" can find a client. */
    private static final ToolLocations NOWHERE = ToolLocations.of(List.of(), List.of(), List.of());

    private S3ProxyServer s3;
    private StorageSettings storage;
    private PostgresServers.Server server;
    private String source;

    @TempDir
    Path tmp;

    private Path shared;
    private ContainerLikeLauncher container;
    private PipedProcessStarter starter;

    @BeforeAll
    void startServers() throws Exception {
        s3 = S3ProxyServer.inMemory();
        storage = s3.settings(s3.createBucket(), "containers");
        server = PostgresServers.get(17);
        source = name("container_src");
        DatabaseFingerprint.loadRichSchema(server, source);
    }

    @AfterAll
    void stopStorage() throws Exception {
        s3.close();
    }

    @BeforeEach
    void startContainer() throws Exception {
        shared = Files.createDirectories(tmp.resolve("ws@tmp"));
        container = new ContainerLikeLauncher(PgClients.binDir(17), tmp.resolve("container"));
        starter = new PipedProcessStarter(container, shared, tmp.resolve("ws").toString(), "test container");
    }

    private static String name(String stem) {
        return stem + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private BackupRequest.Builder backup(String database, DumpFormat format) {
        return BackupRequest.builder(server.spec(database), storage).format(format).toolLocations(NOWHERE)
                .starter(starter).backupBy("ContainerEnginesTest");
    }

    private RestoreRequest.Builder restore(String target, String key) {
        return RestoreRequest.builder(server.spec(target), storage).key(key).createDatabase(true).toolLocations(NOWHERE)
                .starter(starter);
    }

    private void assertCleanedUp() throws Exception {
        Path pipes = shared.resolve("pgbackup-pipes");
        if (Files.exists(pipes)) {
            try (Stream<Path> s = Files.list(pipes)) {
                assertEquals(List.of(), s.toList(), "no pipe directory is left");
            }
        }
        try (Stream<Path> s = Files.list(container.tmp())) {
            assertEquals(List.of(), s.toList(), "no password file is left in the container");
        }
    }

    @Test
    void backsUpAndRestoresWithTheClientOnlyTheContainerHas() throws Exception {
        RecordingLog log = new RecordingLog();

        BackupResult b = new BackupEngine().run(backup(source, DumpFormat.CUSTOM).build(), log);

        assertTrue(b.getPgDumpPath().startsWith(PgClients.binDir(17).toString()), b.getPgDumpPath());
        assertEquals("zstd:3", b.getCompression(), "probed in the container: " + log.all());
        assertTrue(container.launches() > 0);
        String target = name("container_dst");
        RestoreResult r = new RestoreEngine().run(restore(target, b.getKey()).build(), new RecordingLog());
        assertTrue(r.getToolPath().startsWith(PgClients.binDir(17).toString()), r.getToolPath());
        assertEquals(DatabaseFingerprint.of(server, source), DatabaseFingerprint.of(server, target));
        assertCleanedUp();
    }

    @Test
    void restoresAPlainScriptThroughPsqlReadingItsPipe() throws Exception {
        BackupResult b = new BackupEngine().run(backup(source, DumpFormat.PLAIN).build(), new RecordingLog());
        String target = name("container_plain");

        new RestoreEngine().run(restore(target, b.getKey()).build(), new RecordingLog());

        assertEquals(DatabaseFingerprint.of(server, source), DatabaseFingerprint.of(server, target));
        assertCleanedUp();
    }

    @Test
    void runsTheRestoreDrillInTheContainer() throws Exception {
        BackupResult b = new BackupEngine().run(backup(source, DumpFormat.CUSTOM).build(), new RecordingLog());
        RestoreRequest into = RestoreRequest.builder(server.spec("postgres"), storage).key(b.getKey())
                .toolLocations(NOWHERE).starter(starter).build();

        VerifyResult v = new VerifyEngine().run(VerifyRequest.builder(into).build("c" + UUID.randomUUID()
                .toString().substring(0, 6)).build(), new RecordingLog());

        assertTrue(v.isPassed(), v.toString());
        assertCleanedUp();
    }

    @Test
    void findsNoClientWithoutTheContainer() {
        BackupException e = assertThrows(BackupException.class, () -> new BackupEngine().run(
                BackupRequest.builder(server.spec(source), storage).toolLocations(NOWHERE).build(),
                new RecordingLog()));
        assertTrue(e.getMessage().contains("No pg_dump"), e.getMessage());
    }

    @Test
    void anInterruptStopsPgDumpInTheContainer() throws Exception {
        String database = name("container_locked");
        server.createDatabase(database);
        DatabaseFingerprint.execute(server, database, "CREATE TABLE t (id int)");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection c = DatabaseFingerprint.connect(server, database); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            // pg_dump waits for this lock, so it is still running when the interrupt comes.
            st.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
            Future<BackupResult> running = pool.submit(() -> new BackupEngine().run(
                    backup(database, DumpFormat.CUSTOM).build(), new RecordingLog()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!pgDumpOf(database) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(pgDumpOf(database), "pg_dump started");

            running.cancel(true);

            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (anyProcessOf(database) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(anyProcessOf(database), "pg_dump and its wrapper were stopped in the container");
            c.rollback();
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertCleanedUp();
    }

    /** Whether a pg_dump of {@code database} (a unique name) runs on this machine. */
    private static boolean pgDumpOf(String database) {
        return ProcessHandle.allProcesses().map(h -> h.info().commandLine().orElse(""))
                .anyMatch(cmd -> cmd.contains("pg_dump") && cmd.contains(database) && !cmd.contains(" -c "));
    }

    /** Whether any process of this machine mentions {@code database}: pg_dump or its wrapper. */
    private static boolean anyProcessOf(String database) {
        return ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine().orElse("").contains(database));
    }
}
