package io.jenkins.plugins.pgbackup.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.restore.RestoreException;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.PostgresServers.Server;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Restore drills against real backups in S3Proxy on a real PostgreSQL 17. The bad backups are real backups whose
 * restore goes wrong on purpose: a materialized view's refresh (the last step of a restore) calls a function that,
 * only inside a pgverify_ database, deletes a table's rows, drops a table, fails, or sleeps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyEngineTest {
    private static final AtomicInteger BUILD = new AtomicInteger();

    private S3ProxyServer s3;
    private StorageSettings storage;
    private Server server;
    private String good;
    private BackupResult goodCustom;
    private BackupResult goodTar;
    private BackupResult goodDirectory;
    private BackupResult goodPlain;
    private BackupResult goodPlainGzip;
    private BackupResult goodPlainRaw;
    private BackupResult wiped;
    private BackupResult wipedDirectory;
    private BackupResult dropped;
    private BackupResult failing;
    private BackupResult sleeping;

    @BeforeAll
    void backUpGoodAndBadDatabases() throws Exception {
        s3 = S3ProxyServer.inMemory();
        storage = s3.settings(s3.createBucket(), "verify");
        server = PostgresServers.get(17);
        good = name("verify_good");
        DatabaseFingerprint.loadRichSchema(server, good);
        DatabaseFingerprint.execute(server, good, "CREATE TABLE public.orders (id int PRIMARY KEY, total numeric)",
                "INSERT INTO public.orders SELECT g, g * 1.5 FROM generate_series(1, 1000) g",
                "CREATE TABLE public.empty_one (id int)");
        goodCustom = backup(good, DumpFormat.CUSTOM);
        goodTar = backup(good, DumpFormat.TAR);
        goodDirectory = backup(good, DumpFormat.DIRECTORY);
        goodPlain = backup(good, DumpFormat.PLAIN);
        goodPlainGzip = backup(BackupRequest.builder(server.spec(good), storage).format(DumpFormat.PLAIN)
                .compression(Compression.parse("gzip")));
        goodPlainRaw = backup(BackupRequest.builder(server.spec(good), storage).format(DumpFormat.PLAIN)
                .compression(Compression.NONE));
        wiped = backup(poisoned("verify_wiped", "DELETE FROM public.orders"), DumpFormat.CUSTOM);
        wipedDirectory = backup(poisoned("verify_wiped_dir", "DELETE FROM public.orders"), DumpFormat.DIRECTORY);
        dropped = backup(poisoned("verify_dropped", "DROP TABLE public.customers"), DumpFormat.CUSTOM);
        failing = backup(poisoned("verify_failing", "RAISE EXCEPTION 'restore drill: failing on purpose'"),
                DumpFormat.CUSTOM);
        sleeping = backup(poisoned("verify_sleeping", "PERFORM pg_sleep(60)"), DumpFormat.PLAIN);
    }

    @AfterAll
    void stopStorage() throws Exception {
        s3.close();
    }

    @Test
    void aGoodCustomBackupPassesEveryCheckAndTheScratchDatabaseIsGone() throws Exception {
        VerifyRequest request = request(goodCustom.getKey())
                .minRows(Map.of("public.orders", 1000L))
                .sql(List.of("select count(*) = 1000 from public.orders", "select sum(total) > 0 from orders"))
                .build();

        VerifyResult result = new VerifyEngine().run(request, new RecordingLog());

        assertTrue(result.isPassed(), result.getRecord().getChecks().toString());
        assertEquals(List.of("restore", "tables", "minRows:public.orders", "sql[1]", "sql[2]"), names(result));
        VerifyCheck tables = check(result, "tables");
        assertTrue(tables.detail().contains("with data"), tables.detail());
        assertFalse(exists(result.getRecord().getScratchDatabase()));
        assertTrue(result.getRecord().getScratchDatabase().startsWith("pgverify_verify_good_"));
    }

    @Test
    void aGoodTarBackupAndGoodPlainScriptsOfEveryCompressionPassTheTableCheck() throws Exception {
        for (BackupResult b : List.of(goodTar, goodPlain, goodPlainGzip, goodPlainRaw)) {
            VerifyResult result = new VerifyEngine().run(request(b.getKey()).build(), new RecordingLog());

            assertTrue(result.isPassed(), b.getKey() + ": " + result.getRecord().getChecks());
            assertEquals(VerifyCheck.Outcome.PASSED, check(result, "tables").outcome(), b.getKey() + ": "
                    + check(result, "tables").detail());
            assertFalse(exists(result.getRecord().getScratchDatabase()));
        }
    }

    @Test
    void aDirectoryBackupIsComparedTableByTableAndItsUnpackedCopyIsDeleted() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "verify-dir-" + GUID()));
        VerifyRequest request = VerifyRequest.builder(restoreRequest().key(goodDirectory.getKey())
                .workDirectory(work).build()).build(GUID()).build();

        VerifyResult result = new VerifyEngine().run(request, new RecordingLog());

        assertTrue(result.isPassed(), result.getRecord().getChecks().toString());
        VerifyCheck tables = check(result, "tables");
        assertEquals(VerifyCheck.Outcome.PASSED, tables.outcome(), tables.detail());
        assertTrue(tables.detail().contains("with data"), tables.detail());
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("pgbackup-verify-"))
                    .toList(), "the unpacked directory dump is deleted");
        }
    }

    @Test
    void tableDataThatVanishesDuringTheRestoreOfADirectoryBackupFailsTheTableCheck() throws Exception {
        VerifyResult result = new VerifyEngine().run(request(wipedDirectory.getKey()).build(), new RecordingLog());

        assertFalse(result.isPassed());
        assertEquals(VerifyCheck.Outcome.PASSED, check(result, "restore").outcome());
        VerifyCheck tables = check(result, "tables");
        assertEquals(VerifyCheck.Outcome.FAILED, tables.outcome());
        assertTrue(tables.detail().contains("public.orders: the backup has 50 rows, restored 0"), tables.detail());
        assertFalse(exists(result.getRecord().getScratchDatabase()));
    }

    @Test
    void theNewestBackupOfADatabaseIsFoundByLatest() throws Exception {
        RestoreRequest restore = restoreRequest().latestOf(good).build();

        VerifyResult result = new VerifyEngine().run(VerifyRequest.builder(restore).build(GUID()).build(),
                new RecordingLog());

        assertTrue(result.isPassed(), result.getRecord().getChecks().toString());
        assertTrue(List.of(goodCustom.getKey(), goodTar.getKey(), goodDirectory.getKey(), goodPlain.getKey(),
                goodPlainGzip.getKey(), goodPlainRaw.getKey())
                .contains(result.getRecord().getKey()));
    }

    @Test
    void tableDataThatVanishesDuringTheRestoreFailsTheTableCheck() throws Exception {
        VerifyResult result = new VerifyEngine().run(request(wiped.getKey()).build(), new RecordingLog());

        assertFalse(result.isPassed());
        assertEquals(VerifyCheck.Outcome.PASSED, check(result, "restore").outcome());
        VerifyCheck tables = check(result, "tables");
        assertEquals(VerifyCheck.Outcome.FAILED, tables.outcome());
        assertTrue(tables.detail().contains("public.orders: the backup has 50 rows, restored 0"), tables.detail());
        assertFalse(exists(result.getRecord().getScratchDatabase()));
    }

    @Test
    void aTableOfTheArchiveThatIsNotRestoredFailsTheTableCheck() throws Exception {
        VerifyResult result = new VerifyEngine().run(request(dropped.getKey()).build(), new RecordingLog());

        VerifyCheck tables = check(result, "tables");
        assertEquals(VerifyCheck.Outcome.FAILED, tables.outcome());
        assertTrue(tables.detail().contains("public.customers is missing"), tables.detail());
        assertEquals("failed", result.getRecord().getOutcome());
    }

    @Test
    void failingSqlAndMinRowsChecksFailTheDrill() throws Exception {
        VerifyRequest request = request(goodCustom.getKey())
                .minRows(Map.of("public.orders", 1001L, "public.nowhere", 1L))
                .sql(List.of("select count(*) > 5000 from public.orders", "select 1/0 = 1",
                        "with d as (delete from public.orders returning 1) select count(*) = 0 from d",
                        "select true where false"))
                .build();

        VerifyResult result = new VerifyEngine().run(request, new RecordingLog());

        assertFalse(result.isPassed());
        assertEquals(VerifyCheck.Outcome.PASSED, check(result, "tables").outcome());
        assertTrue(check(result, "minRows:public.orders").detail().contains("Only 1000 rows, at least 1001"));
        assertTrue(check(result, "minRows:public.nowhere").detail().contains("There is no table public.nowhere"));
        assertTrue(check(result, "sql[1]").detail().endsWith("returned false, not true"));
        assertTrue(check(result, "sql[2]").detail().contains("division by zero"));
        assertTrue(check(result, "sql[3]").detail().contains("read-only transaction"), check(result, "sql[3]")
                .detail());
        assertTrue(check(result, "sql[4]").detail().endsWith("returned no row"));
        assertEquals(6, result.getRecord().getChecks().stream().filter(VerifyCheck::isFailed).count());
        assertTrue(result.getRecord().getSummary().startsWith("6 of 8 checks failed"),
                result.getRecord().getSummary());
    }

    @Test
    void aRestoreThatFailsHalfWayFailsTheDrillAndLeavesNoScratchDatabase() throws Exception {
        VerifyResult result = new VerifyEngine().run(request(failing.getKey()).sql(List.of("select true")).build(),
                new RecordingLog());

        VerifyCheck restore = check(result, "restore");
        assertEquals(VerifyCheck.Outcome.FAILED, restore.outcome());
        assertTrue(restore.detail().contains("failing on purpose"), restore.detail());
        assertEquals(VerifyCheck.Outcome.SKIPPED, check(result, "tables").outcome());
        assertEquals(VerifyCheck.Outcome.SKIPPED, check(result, "sql[1]").outcome());
        assertFalse(exists(result.getRecord().getScratchDatabase()));
    }

    @Test
    void aRestoreThatTimesOutFailsTheDrillAndLeavesNoScratchDatabase() throws Exception {
        RestoreRequest restore = restoreRequest().key(sleeping.getKey()).timeout(Duration.ofSeconds(3)).build();

        VerifyResult result = new VerifyEngine().run(VerifyRequest.builder(restore).build(GUID()).build(),
                new RecordingLog());

        VerifyCheck check = check(result, "restore");
        assertEquals(VerifyCheck.Outcome.FAILED, check.outcome());
        assertTrue(check.detail().contains("timed out"), check.detail());
        assertFalse(exists(result.getRecord().getScratchDatabase()));
    }

    @Test
    void anInterruptedDrillDropsItsScratchDatabase() throws Exception {
        String scratch = name("pgverify_interrupted");
        VerifyRequest request = request(sleeping.getKey()).scratchDatabase(scratch).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread drill = new Thread(() -> {
            try {
                new VerifyEngine().run(request, new RecordingLog());
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        drill.start();
        awaitSleepingRestore(scratch);

        drill.interrupt();
        drill.join(30_000);

        assertFalse(drill.isAlive());
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertFalse(exists(scratch));
    }

    @Test
    void aLeftoverOfAKilledRunIsDroppedButNoOtherDatabase() throws Exception {
        String killed = name("pgverify_killed");
        String recent = name("pgverify_recent");
        String unmarked = name("pgverify_x");
        String otherComment = name("pgverify_y");
        markedDatabase(killed, Instant.now().minus(Duration.ofHours(2)));
        markedDatabase(recent, Instant.now());
        server.createDatabase(unmarked);
        server.createDatabase(otherComment);
        DatabaseFingerprint.execute(server, "postgres", "COMMENT ON DATABASE " + otherComment
                + " IS 'Scratch database of someone else, created 2020-01-01T00:00:00Z'");
        RecordingLog log = new RecordingLog();

        new VerifyEngine().run(request(goodCustom.getKey()).build(), log);

        assertFalse(exists(killed));
        assertTrue(log.all().contains("Dropped " + killed), log.all());
        assertTrue(exists(recent));
        assertTrue(exists(unmarked));
        assertTrue(exists(otherComment));
    }

    @Test
    void aScratchNameThatIsTakenByAnotherDatabaseIsRefusedAndLeftAlone() throws Exception {
        String taken = name("pgverify_taken");
        server.createDatabase(taken);

        RestoreException e = assertThrows(RestoreException.class, () -> new VerifyEngine()
                .run(request(goodCustom.getKey()).scratchDatabase(taken).build(), new RecordingLog()));

        assertTrue(e.getMessage().contains("pgVerify did not create it"), e.getMessage());
        assertTrue(exists(taken));
    }

    @Test
    void theResultIsRecordedNextToTheBackupForTheBackupsPage() throws Exception {
        VerifyResult result = new VerifyEngine().run(request(wiped.getKey()).buildUrl("job/drill/7/").build(),
                new RecordingLog());

        assertEquals(wiped.getKey() + ".verify.json", result.getRecordKey());
        Optional<VerifyRecord> stored = new VerifyRecords(s3.client(), storage.getBucket()).read(wiped.getKey());
        assertTrue(stored.isPresent());
        assertEquals("failed", stored.get().getOutcome());
        assertEquals("job/drill/7/", stored.get().getBuild());
        assertEquals(result.getRecord().getChecks(), stored.get().getChecks());
        assertEquals(Optional.empty(), new VerifyRecords(s3.client(), storage.getBucket()).read("verify/nothing"));
    }

    @Test
    void aMissingBackupIsRefusedWithoutTouchingTheServer() {
        RestoreException e = assertThrows(RestoreException.class, () -> new VerifyEngine().run(VerifyRequest
                .builder(restoreRequest().latestOf("no_such_db").build()).build(), new RecordingLog()));

        assertTrue(e.getMessage().contains("no complete backup of no_such_db"), e.getMessage());
    }

    // --- helpers

    /** A source database whose restore, inside a pgverify_ database only, runs {@code action} at its very end. */
    private String poisoned(String stem, String action) throws Exception {
        String db = name(stem);
        server.createDatabase(db);
        DatabaseFingerprint.execute(server, db,
                "CREATE TABLE public.orders (id int PRIMARY KEY)",
                "INSERT INTO public.orders SELECT generate_series(1, 50)",
                "CREATE TABLE public.customers (id int)",
                "INSERT INTO public.customers VALUES (1), (2), (3)",
                "CREATE FUNCTION public.poison() RETURNS int LANGUAGE plpgsql AS $$ BEGIN "
                        + "IF current_database() LIKE 'pgverify%' THEN " + action + "; END IF; RETURN 1; END $$",
                "CREATE MATERIALIZED VIEW public.poisoned AS SELECT public.poison() AS p");
        return db;
    }

    private BackupResult backup(String database, DumpFormat format) throws Exception {
        return backup(BackupRequest.builder(server.spec(database), storage).format(format));
    }

    private BackupResult backup(BackupRequest.Builder request) throws Exception {
        return new BackupEngine().run(request.toolLocations(clients()).build(), new RecordingLog());
    }

    private RestoreRequest.Builder restoreRequest() {
        return RestoreRequest.builder(server.spec("postgres"), storage).toolLocations(clients());
    }

    private VerifyRequest.Builder request(String key) {
        return VerifyRequest.builder(restoreRequest().key(key).build()).build(GUID());
    }

    private static String GUID() {
        return BUILD.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static ToolLocations clients() {
        return ToolLocations.of(List.of(), List.of(PgClients.requireRoot().toString()), List.of());
    }

    private static String name(String stem) {
        return stem + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> names(VerifyResult r) {
        return r.getRecord().getChecks().stream().map(VerifyCheck::name).toList();
    }

    private static VerifyCheck check(VerifyResult r, String name) {
        return r.getRecord().getChecks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + r.getRecord().getChecks()));
    }

    private boolean exists(String database) throws Exception {
        return DatabaseFingerprint.exists(server, database);
    }

    private void markedDatabase(String name, Instant created) throws Exception {
        server.createDatabase(name);
        DatabaseFingerprint.execute(server, "postgres", "COMMENT ON DATABASE " + name + " IS '"
                + ScratchDatabases.marker(created) + "'");
    }

    /** Waits until the drill's restore sleeps inside the scratch database. */
    private void awaitSleepingRestore(String scratch) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Connection c = server.connect("postgres");
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ? "
                        + "AND query LIKE '%poisoned%'")) {
            ps.setString(1, scratch);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the drill never reached the sleeping refresh in " + scratch);
    }

}
