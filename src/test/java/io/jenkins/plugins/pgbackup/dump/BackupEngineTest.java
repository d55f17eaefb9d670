package io.jenkins.plugins.pgbackup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.ServerVersion;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.ManifestStore;
import io.jenkins.plugins.pgbackup.testing.BackupSeeder;
import io.jenkins.plugins.pgbackup.testing.MutableClock;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Backups of real PostgreSQL servers 12–18 with real clients 13/15/17/18 into a real S3 API (S3Proxy). */
class BackupEngineTest {
    private static S3ProxyServer s3;
    private static String bucket;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startStorage() throws Exception {
        s3 = S3ProxyServer.inMemory();
        bucket = s3.createBucket();
    }

    @AfterAll
    static void stopStorage() throws Exception {
        s3.close();
    }

    /** Only the installed test clients, so the machine's own client never interferes. */
    private static ToolLocations testClients() {
        return ToolLocations.of(List.of(), List.of(PgClients.requireRoot().toString()), List.of());
    }

    private static BackupRequest.Builder request(ConnectionSpec spec, String prefix) {
        return BackupRequest.builder(spec, s3.settings(bucket, prefix)).toolLocations(testClients())
                .backupBy("BackupEngineTest");
    }

    private static void sql(PostgresServers.Server server, String database, String... statements)
            throws SQLException {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    private static String prepare(PostgresServers.Server server, String database) throws SQLException {
        server.createDatabase(database);
        sql(server, database, "DROP TABLE IF EXISTS t", "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT i, 'row ' || i FROM generate_series(1, 1000) i");
        return database;
    }

    private Path download(String key) throws IOException {
        Path file = tmp.resolve("download-" + System.nanoTime());
        s3.client().getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(file));
        return file;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @ParameterizedTest(name = "server {0} is dumped by pg_dump {1}")
    @CsvSource({"12,13", "13,13", "14,15", "15,15", "16,17", "17,17", "18,18"})
    void backsUpEveryServerMajorWithTheClientThePolicyPicks(int serverMajor, int clientMajor) throws Exception {
        PostgresServers.Server server = PostgresServers.get(serverMajor);
        String db = prepare(server, "shop");
        RecordingLog log = new RecordingLog();

        BackupResult r = new BackupEngine().run(request(server.spec(db), "every-major/" + serverMajor).build(), log);

        assertEquals(Integer.toString(serverMajor), r.getPostgresVersion());
        assertEquals(clientMajor, PostgresVersion.parse(r.getPgDumpVersion()).major());
        assertTrue(r.getPgDumpPath().startsWith(PgClients.binDir(clientMajor).toString()), r.getPgDumpPath());
        assertEquals("custom", r.getFormat());
        assertEquals(clientMajor >= 16 ? "zstd:3" : "gzip:6", r.getCompression());
        assertTrue(r.getKey().matches("every-major/" + serverMajor + "/shop/shop_\\d{8}_\\d{6}\\.dump"), r.getKey());

        HeadObjectResponse head = s3.client().headObject(b -> b.bucket(bucket).key(r.getKey()));
        Map<String, String> meta = head.metadata();
        assertEquals("shop", meta.get(BackupMetadata.DATABASE));
        assertEquals(Integer.toString(serverMajor), meta.get(BackupMetadata.POSTGRES_VERSION));
        assertEquals("custom", meta.get(BackupMetadata.DUMP_FORMAT));
        assertEquals("BackupEngineTest", meta.get(BackupMetadata.BACKUP_BY));
        assertEquals(Long.toString(clientMajor), meta.get(BackupMetadata.PG_DUMP_VERSION).split("\\.")[0]);
        assertFalse(meta.containsKey(BackupMetadata.SHA256) || meta.containsKey(BackupMetadata.SIZE),
                "known only at the end: in the manifest, " + meta);
        assertTrue(meta.get(BackupMetadata.TIMESTAMP).matches("\\d{8}_\\d{6}"), meta.toString());
        assertEquals(r.getSize(), head.contentLength());
        BackupManifest manifest = new ManifestStore(s3.client(), bucket).read(r.getKey()).orElseThrow();
        assertEquals(r.getSha256(), manifest.getSha256());
        assertEquals(r.getSize(), manifest.getSize());
        assertEquals(BackupManifest.normalizeETag(head.eTag()), manifest.getETag());
        assertEquals(BackupMetadata.fromUserMetadata(meta), manifest.getMetadata());
        assertTrue(log.all().contains("Backup complete: manifest " + r.getKey() + ".manifest.json written "),
                log.all());

        String listing = run(List.of(PgClients.tool(clientMajor, "pg_restore").toString(), "--list",
                download(r.getKey()).toString()));
        assertTrue(listing.contains("TABLE DATA public t postgres"), listing);
        assertTrue(log.all().contains("Plan: pg_dump"), log.all());
    }

    @Test
    void refusesAServerNewerThanEveryClientBeforeConnecting() throws Exception {
        PostgresServers.Server server = PostgresServers.get(18);
        String db = prepare(server, "too_new");
        ToolLocations olderOnly = ToolLocations.of(List.of(), List.of(PgClients.binDir(13).toString(),
                PgClients.binDir(15).toString(), PgClients.binDir(17).toString()), List.of());

        BackupException e = assertThrows(BackupException.class, () -> new BackupEngine()
                .run(request(server.spec(db), "too-new").toolLocations(olderOnly).build(), new RecordingLog()));

        assertTrue(e.getMessage().contains("18"), e.getMessage());
        assertTrue(e.getMessage().contains("postgresql-client-18"), e.getMessage());
        assertTrue(e.getMessage().contains(PgClients.binDir(17).toString()), e.getMessage());
        assertTrue(objects("too-new/").isEmpty());
    }

    /**
     * A pg_dump whose probe answers are unreadable (here: German words, no connection attempt) is neither trusted
     * nor written off: the method asked for is tried, and pg_dump's own refusal is what the user reads.
     */
    @Test
    void aMethodTheProbeCannotReadIsTriedAndPgDumpsRefusalIsReported() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = prepare(server, "unknown_zstd");
        Path bin = tmp.resolve("odd-build/bin");
        Files.createDirectories(bin);
        Path pgDump = bin.resolve("pg_dump");
        Files.writeString(pgDump, String.join("\n", "#!/bin/sh",
                "case \"$*\" in",
                "  --version) echo 'pg_dump (PostgreSQL) 17.2'; exit 0;;",
                "  *pgbackup_probe*) echo 'pg_dump: Fehler: etwas ganz anderes' >&2; exit 1;;",
                "  *--compress=zstd*) echo 'pg_dump: error: this build does not support compression with ZSTD' >&2;"
                        + " exit 1;;",
                "esac", "exit 1", ""));
        pgDump.toFile().setExecutable(true);
        RecordingLog log = new RecordingLog();

        BackupException e = assertThrows(BackupException.class, () -> new BackupEngine().run(
                request(server.spec(db), "unknown-zstd").toolLocations(ToolLocations.of(List.of(),
                        List.of(bin.toString()), List.of())).compression(Compression.parse("zstd:3")).build(), log));

        assertTrue(e.getMessage().contains("pg_dump: error: this build does not support compression with ZSTD"),
                e.getMessage());
        assertTrue(log.all().contains("zstd unknown (gzip: pg_dump: Fehler: etwas ganz anderes"), log.all());
        assertTrue(log.all().contains("the probe could not tell whether pg_dump 17 supports zstd"), log.all());
        assertTrue(objects("unknown-zstd/").isEmpty());
    }

    @Test
    void wrongPasswordFailsClearlyAndThePasswordAppearsNowhere() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        prepare(server, "secretive");
        String wrong = "Wr0ng-" + System.nanoTime() + ":pa\\ss'word";
        ConnectionSpec spec = new ConnectionSpec("localhost", server.port(), "secretive", "postgres", wrong);
        RecordingLog log = new RecordingLog();

        BackupException e = assertThrows(BackupException.class, () -> new BackupEngine()
                .run(request(spec, "wrong-password").pinnedVersion(PostgresVersion.ofMajor(17)).build(), log));

        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong));
        assertFalse(e.getStderrTail().contains(wrong));
        assertFalse(log.all().contains(wrong), log.all());
        assertTrue(objects("wrong-password/").isEmpty());
    }

    @Test
    void thePasswordNeverReachesPgDumpsCommandLine() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = prepare(server, "argcheck");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection lock = server.connect(db); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE"); // pg_dump waits here, so it can be inspected
            Future<BackupResult> backup = pool.submit(() -> new BackupEngine()
                    .run(request(server.spec(db), "argcheck").build(), new RecordingLog()));
            ProcessHandle pgDump = awaitProcess("pg_dump", "argcheck");
            String commandLine = String.join(" ", pgDump.info().arguments().orElse(new String[0]));
            assertTrue(commandLine.contains("dbname='argcheck'"), commandLine);
            assertFalse(commandLine.contains(PostgresServers.PASSWORD), commandLine);
            String environ = Files.readString(Path.of("/proc", Long.toString(pgDump.pid()), "environ"),
                    StandardCharsets.ISO_8859_1);
            assertFalse(environ.contains(PostgresServers.PASSWORD), "password in pg_dump's environment");
            assertTrue(environ.contains("PGPASSFILE="), "PGPASSFILE is how the password travels");
            lock.commit();
            BackupResult r = backup.get(60, TimeUnit.SECONDS);
            Map<String, String> meta = s3.client().headObject(b -> b.bucket(bucket).key(r.getKey())).metadata();
            assertFalse(meta.toString().contains(PostgresServers.PASSWORD));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pgDumpThatTimesOutIsKilledAndNothingIsStored() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = prepare(server, "slowpoke");
        try (Connection lock = server.connect(db); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
            long start = System.nanoTime();
            BackupException e = assertThrows(BackupException.class, () -> new BackupEngine().run(
                    request(server.spec(db), "timeout").timeout(Duration.ofSeconds(3)).build(), new RecordingLog()));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(e.getMessage().contains("timed out after"), e.getMessage());
            assertTrue(seconds < 30, "took " + seconds + " s");
            assertTrue(findProcess("pg_dump", "slowpoke").isEmpty(), "pg_dump still running");
            lock.rollback();
        }
        assertTrue(objects("timeout/").isEmpty());
        assertNoOpenUploads();
    }

    @Test
    void pgDumpKilledMidwayIsAFailureAndNothingIsStored() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = prepare(server, "victim");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection lock = server.connect(db); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
            Future<BackupResult> backup = pool.submit(() -> new BackupEngine()
                    .run(request(server.spec(db), "killed").build(), new RecordingLog()));
            awaitProcess("pg_dump", "victim").destroyForcibly();
            Exception e = assertThrows(Exception.class, () -> backup.get(60, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof BackupException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains("pg_dump"), e.getCause().getMessage());
            lock.rollback();
        } finally {
            pool.shutdownNow();
        }
        assertTrue(objects("killed/").isEmpty());
        assertNoOpenUploads();
    }

    @Test
    void storageFailingMidUploadLeavesNoObjectAndNoOpenUpload() throws Exception {
        PostgresServers.Server server = PostgresServers.get(16);
        server.createDatabase("bulky");
        // About 40 MB uncompressed: more than two 16 MiB parts.
        sql(server, "bulky", "DROP TABLE IF EXISTS big", "CREATE TABLE big AS SELECT i, md5(i::text) || md5((i * 7)::text)"
                + " || md5((i * 13)::text) AS v FROM generate_series(1, 400000) i");
        s3.faults().failPartUploadsAfter(1);
        try {
            BackupException e = assertThrows(BackupException.class, () -> new BackupEngine().run(
                    request(server.spec("bulky"), "s3-fails").compression(Compression.NONE).build(),
                    new RecordingLog()));
            assertTrue(e.getMessage().contains("nothing was stored"), e.getMessage());
        } finally {
            s3.faults().reset();
        }
        assertTrue(objects("s3-fails/").isEmpty());
        assertNoOpenUploads();
        assertTrue(findProcess("pg_dump", "bulky").isEmpty(), "pg_dump still running");
    }

    @Test
    void aManifestThatCannotBeWrittenFailsTheBackupAndLeavesNothing() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = prepare(server, "no_manifest");
        s3.faults().failPutsEndingWith(".manifest.json");
        try {
            BackupException e = assertThrows(BackupException.class, () -> new BackupEngine().run(
                    request(server.spec(db), "no-manifest").build(), new RecordingLog()));
            assertTrue(e.getMessage().contains("Writing the manifest"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was stored"), e.getMessage());
        } finally {
            s3.faults().reset();
        }
        assertTrue(objects("no-manifest/").isEmpty());
        assertNoOpenUploads();
    }

    @Test
    void usesAFreshCachedVersionWithoutDetecting() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = prepare(server, "cached");
        ConnectionSpec spec = server.spec(db);
        VersionCache cache = new VersionCache();
        cache.put(spec.serverKey(), new ServerVersion(PostgresVersion.parse("17.4"), "PostgreSQL 17.4 (cached)",
                Instant.now().minus(Duration.ofHours(1))));
        RecordingLog log = new RecordingLog();

        BackupResult r = new BackupEngine().run(request(spec, "cache-hit")
                .cachedVersions(cache.snapshot(), Duration.ofHours(24)).build(), log);

        assertEquals("17.4", r.getServerVersion(), "the cached entry was used, not a fresh detection");
        assertTrue(log.all().contains("(cached)"), log.all());
    }

    @Test
    void detectsAgainWhenTheCachedVersionHasExpired() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = prepare(server, "expired");
        ConnectionSpec spec = server.spec(db);
        VersionCache cache = new VersionCache();
        cache.put(spec.serverKey(), new ServerVersion(PostgresVersion.parse("17.4"), "old",
                Instant.now().minus(Duration.ofHours(25))));

        BackupResult r = new BackupEngine().run(request(spec, "cache-expired")
                .cachedVersions(cache.snapshot(), Duration.ofHours(24)).build(), new RecordingLog());

        assertEquals(17, PostgresVersion.parse(r.getServerVersion()).major());
        assertFalse(r.getServerVersion().equals("17.4"), "detected the real version: " + r.getServerVersion());
        ServerVersion kept = r.getVersions().entries().get(spec.serverKey());
        assertNotNull(kept);
        assertTrue(kept.detectedAt().isAfter(Instant.now().minus(Duration.ofMinutes(5))));
    }

    @Test
    void aStaleCachedVersionThatPgDumpRefusesIsDetectedAgainAndTheBackupRetried() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = prepare(server, "upgraded");
        ConnectionSpec spec = server.spec(db);
        // The server was upgraded from 15 since the last detection: pg_dump 15 refuses it.
        VersionCache cache = new VersionCache();
        cache.put(spec.serverKey(), new ServerVersion(PostgresVersion.parse("15.8"), "PostgreSQL 15.8",
                Instant.now()));
        RecordingLog log = new RecordingLog();

        BackupResult r = new BackupEngine().run(request(spec, "mismatch")
                .cachedVersions(cache.snapshot(), Duration.ofHours(24)).build(), log);

        assertEquals("17", r.getPostgresVersion());
        assertEquals(17, PostgresVersion.parse(r.getPgDumpVersion()).major());
        assertTrue(log.all().contains("detecting it again"), log.all());
        assertEquals(17, r.getVersions().entries().get(spec.serverKey()).version().major());
        assertEquals(2, objects("mismatch/").size(), "one dump and its manifest");
    }

    @Test
    void fallsBackToTheNewestClientWithAWarningWhenDetectionFails() throws Exception {
        // A server that refuses every connection: detection fails, and so does pg_dump, but with the newest client.
        ConnectionSpec closed = new ConnectionSpec("127.0.0.1", freePort(), "nowhere", "postgres", "x");
        RecordingLog log = new RecordingLog();
        BackupException e = assertThrows(BackupException.class,
                () -> new BackupEngine().run(request(closed, "undetected").build(), log));
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("newest")), log.all());
        assertTrue(log.all().contains("pg_dump 18"), log.all());
        assertTrue(e.getMessage().contains("pg_dump failed"), e.getMessage());
    }

    @Test
    void directoryFormatWithParallelJobsUploadsATarThatPgRestoreReads() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = prepare(server, "dirfmt");
        sql(server, db, "DROP TABLE IF EXISTS u", "CREATE TABLE u AS SELECT i FROM generate_series(1, 5000) i");

        BackupResult r = new BackupEngine().run(request(server.spec(db), "dir").format(DumpFormat.DIRECTORY)
                .jobs(2).build(), new RecordingLog());

        assertEquals("directory", r.getFormat());
        assertTrue(r.getKey().endsWith(".dir.tar"), r.getKey());
        Path dir = tmp.resolve("restored-dir");
        try (var in = Files.newInputStream(download(r.getKey()))) {
            DirectoryTar.extract(in, dir);
        }
        String listing = run(List.of(PgClients.tool(17, "pg_restore").toString(), "--list", "--format=directory",
                dir.toString()));
        assertTrue(listing.contains("TABLE DATA public u postgres"), listing);
    }

    @Test
    void plainFormatWithGzipUploadsACompressedScript() throws Exception {
        PostgresServers.Server server = PostgresServers.get(15);
        String db = prepare(server, "plainfmt");

        BackupResult r = new BackupEngine().run(request(server.spec(db), "plain").format(DumpFormat.PLAIN)
                .compression(Compression.parse("gzip:5")).build(), new RecordingLog());

        assertTrue(r.getKey().endsWith(".sql.gz"), r.getKey());
        byte[] script;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(download(r.getKey())))) {
            script = in.readAllBytes();
        }
        String text = new String(script, StandardCharsets.UTF_8);
        assertTrue(text.contains("CREATE TABLE public.t"), text.substring(0, Math.min(500, text.length())));
    }

    private List<S3Object> objects(String prefix) {
        return s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents();
    }

    @Test
    void aBackupWithoutRetentionRulesRemovesItsDatabasesOldLeftoversAndKeepsFreshOnes() throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = prepare(server, "shop");
        Instant realNow = Instant.now();
        MutableClock clock = new MutableClock(realNow.plus(Duration.ofDays(2)));
        String prefix = "no-rules";
        S3Client client = s3.client();
        String old = BackupSeeder.putUnfinished(client, bucket, prefix, db, realNow.minus(Duration.ofDays(3)));
        String oldRecord = BackupKeys.verifyRecordKey(old);
        client.putObject(b -> b.bucket(bucket).key(oldRecord), RequestBody.fromString("{}"));
        String fresh = BackupSeeder.putUnfinished(client, bucket, prefix, db, clock.instant().minus(Duration.ofHours(1)));
        String previous = BackupSeeder.putBackup(client, bucket, prefix, db, realNow.minus(Duration.ofDays(30)));
        RecordingLog log = new RecordingLog();

        BackupResult r = new BackupEngine(clock).run(request(server.spec(db), prefix).build(), log);

        assertEquals(List.of(old), r.getPruned().getLeftovers());
        assertEquals(List.of(), r.prunedKeys(), "no rule: no backup is pruned");
        assertNull(r.getPruneFailure());
        Set<String> keys = new TreeSet<>();
        client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + "/")).contents()
                .forEach(o -> keys.add(o.key()));
        assertEquals(new TreeSet<>(Set.of(fresh, previous, BackupKeys.manifestKey(previous), r.getKey(),
                BackupKeys.manifestKey(r.getKey()))), keys, "the old leftover and its pgVerify record are gone");
        assertTrue(log.all().contains("Deleted the leftover of an unfinished backup " + old), log.all());
    }

    private void assertNoOpenUploads() {
        assertTrue(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty(), "open uploads");
        assertTrue(s3.rawBlobNames(bucket).stream().noneMatch(n -> n.contains(".mpus")),
                "multipart parts left behind");
    }

    private static Optional<ProcessHandle> findProcess(String program, String argument) {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> List.of(a).stream()
                .anyMatch(x -> x.contains(argument))).orElse(false)
                && p.info().commandLine().map(c -> c.contains(program)).orElse(false)).findFirst();
    }

    private static ProcessHandle awaitProcess(String program, String argument) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> p = findProcess(program, argument);
            if (p.isPresent()) {
                Thread.sleep(300); // let it connect and block on the lock
                return p.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(program + " for " + argument + " never started");
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
