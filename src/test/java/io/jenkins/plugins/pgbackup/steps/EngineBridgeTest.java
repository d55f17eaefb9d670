package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.config.StorageProvider;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.restore.RestoreException;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * What the steps hand to the engine, run for real: options and settings mapped to a plan, the plan to a request with
 * the configured client roots, a real PostgreSQL 17 backed up with the real pg_dump 17 into S3Proxy, and the result
 * mapped back; and restored with the real pg_restore through the restore engine. The Jenkins-free half of what the Pipeline and freestyle steps do on an agent.
 */
class EngineBridgeTest {

    private static S3ProxyServer s3;
    private static String bucket;
    private static PostgresServers.Server server;

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

    private static String database() throws Exception {
        String db = "shop_" + UUID.randomUUID().toString().substring(0, 8);
        server.createDatabase(db);
        try (Connection c = server.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 500) g");
        }
        return db;
    }

    private static TestSettings settings(String db) {
        TestSettings settings = new TestSettings();
        settings.connections.add(TestSettings.connection("shop", server, db));
        // The engine with the keys; SignedBackupBridgeTest and SignedRestoreBridgeTest run the other mode.
        settings.targets.add(TestSettings.s3proxyTarget("s3proxy", s3, bucket, "bridge", StorageAccess.AGENT_KEYS));
        settings.toolRoots = List.of(PgClients.requireRoot().toString());
        return settings;
    }

    private static MapCredentials credentials() {
        return MapCredentials.forTestServers();
    }

    private static BackupOptions options() {
        BackupOptions o = new BackupOptions();
        o.setConnection("shop");
        o.setStorage("s3proxy");
        o.setCompression("gzip:6");
        return o;
    }

    @Test
    void aBackupRunsThroughTheEngineAndComesBackAsTheStepsResult() throws Exception {
        String db = database();
        BackupPlan plan = BackupRequestMapper.map(options(), settings(db), credentials(), null, "jenkins:test#1");
        RecordingLog log = new RecordingLog();
        BackupOutcome o = EngineBridge.backup(plan, List.of(), new MaskingEngineLog(log, plan.secrets()));

        assertEquals(db, o.database());
        assertEquals("localhost:" + server.port() + "/" + db, o.server());
        assertTrue(o.key().startsWith("bridge/" + db + "/" + db + "_"), o.key());
        assertEquals(o.size(), s3.client().headObject(h -> h.bucket(bucket).key(o.key())).contentLength());
        assertTrue(o.sha256().matches("[0-9a-f]{64}"), o.sha256());
        assertEquals("17", o.postgresMajor());
        assertTrue(o.serverVersion().startsWith("17."), o.serverVersion());
        assertTrue(o.pgDumpVersion().startsWith("17."), o.pgDumpVersion());
        assertTrue(o.pgDumpPath().startsWith(PgClients.binDir(17).toString()), o.pgDumpPath());
        assertEquals("custom", o.format());
        assertEquals("gzip:6", o.compression());
        assertEquals(List.of(), o.pruned());
        assertEquals(1, o.detected().size());
        assertEquals(o.server(), o.detected().get(0).serverKey());
        assertEquals(17, o.detected().get(0).versionNum() / 10000);
        assertFalse(log.all().contains(PostgresServers.PASSWORD), "the password never reaches the log");
        Map<String, Object> result = ResultMaps.backup(o);
        assertEquals(o.key(), result.get("key"));
        assertEquals(bucket, result.get("bucket"));
    }

    private static long orders(String db) throws Exception {
        try (Connection c = server.connect(db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), sum(id) FROM orders")) {
            rs.next();
            assertEquals(500L * 501 / 2, rs.getLong(2), "the rows themselves, not only their number");
            return rs.getLong(1);
        }
    }

    private static RestoreOptions restoreOptions(String key) {
        RestoreOptions o = new RestoreOptions();
        o.setStorage("s3proxy");
        o.setKey(key);
        return o;
    }

    @Test
    void aRestoreIntoANewDatabaseRunsThroughTheEngineAndComesBackAsTheStepsResult() throws Exception {
        String db = database();
        TestSettings settings = settings(db);
        BackupOutcome backup = EngineBridge.backup(
                BackupRequestMapper.map(options(), settings, credentials(), null, "t"), List.of(), new RecordingLog());
        String copy = db + "_copy";
        RestoreOptions o = restoreOptions(backup.key());
        o.setHost("localhost");
        o.setPort(server.port());
        o.setDatabase(copy);
        o.setCredentialsId("pg");
        o.setCreateDatabase(true);
        RestorePlan plan = RestoreRequestMapper.map(o, settings, credentials(), null);
        RecordingLog log = new RecordingLog();
        RestoreOutcome r = EngineBridge.restore(plan, List.of(), new MaskingEngineLog(log, plan.secrets()));

        assertEquals(500, orders(copy));
        assertEquals(bucket, r.bucket());
        assertEquals(backup.key(), r.key());
        assertEquals(db, r.sourceDatabase());
        assertEquals(copy, r.database());
        assertEquals("localhost:" + server.port(), r.server());
        assertTrue(r.serverVersion().startsWith("17."), r.serverVersion());
        assertEquals(backup.pgDumpVersion(), r.dumpPgDumpVersion());
        assertEquals("pg_restore", r.tool());
        assertTrue(r.toolPath().startsWith(PgClients.requireRoot().toString()), r.toolPath());
        assertTrue(r.toolPath().contains(r.toolVersion().split("\\.")[0] + "/bin"), r.toolPath());
        assertTrue(r.archiveVersion().matches("1\\.\\d+"), r.archiveVersion());
        assertEquals(backup.size(), r.size());
        assertEquals(1, r.detected().size());
        // A database about to be created is detected through the maintenance database, and cached under its own key:
        // the one the controller looks up for the next run into it.
        assertEquals(plan.connection().serverKey(), r.detected().get(0).serverKey());
        assertEquals("localhost:" + server.port() + "/" + copy, r.detected().get(0).serverKey());
        assertEquals(17, r.detected().get(0).versionNum() / 10000);
        assertFalse(log.all().contains(PostgresServers.PASSWORD), "the password never reaches the log");
        Map<String, Object> result = ResultMaps.restore(r);
        assertEquals(copy, result.get("database"));
        assertEquals(db, result.get("sourceDatabase"));
        assertEquals(backup.size(), result.get("size"));
    }

    @Test
    void aNonEmptyTargetWithoutCleanIsRefusedWithWhatToDoAndLeftAlone() throws Exception {
        String db = database();
        TestSettings settings = settings(db);
        BackupOutcome backup = EngineBridge.backup(
                BackupRequestMapper.map(options(), settings, credentials(), null, "t"), List.of(), new RecordingLog());
        RestoreOptions o = restoreOptions(backup.key());
        o.setConnection("shop"); // the database the backup was taken of: it has the orders table
        RestorePlan plan = RestoreRequestMapper.map(o, settings, credentials(), null);
        MaskingEngineLog log = new MaskingEngineLog(new RecordingLog(), plan.secrets());

        RestoreException refused = assertThrows(RestoreException.class,
                () -> EngineBridge.restore(plan, List.of(), log));
        // What the runner does with it: the build fails with the message, the tail goes to the notification.
        AbortException e = RunnerSupport.toAbort(refused, log);
        assertTrue(e.getMessage().contains("'" + db + "' on localhost:" + server.port() + " is not empty"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Set clean"), e.getMessage());
        assertTrue(e.getMessage().contains("createDatabase"), e.getMessage());
        assertFalse(e.getMessage().contains(PostgresServers.PASSWORD), e.getMessage());
        assertEquals("", RunnerSupport.stderrTail(refused), "no tool ran");
        assertEquals(500, orders(db));
    }

    @Test
    void retentionFromTheStepPrunesTheOlderBackup() throws Exception {
        String db = database();
        TestSettings settings = settings(db);
        BackupOutcome first = EngineBridge.backup(
                BackupRequestMapper.map(options(), settings, credentials(), null, "t"), List.of(), new RecordingLog());
        Thread.sleep(1100); // keys and the timestamp metadata have one-second resolution
        BackupOptions keepOne = options();
        keepOne.setKeepLast(1);
        BackupOutcome second = EngineBridge.backup(
                BackupRequestMapper.map(keepOne, settings, credentials(), null, "t"), List.of(), new RecordingLog());
        assertEquals(List.of(first.key()), second.pruned());
        assertFalse(second.retentionDryRun());
        assertThrows(NoSuchKeyException.class, () -> s3.client().headObject(h -> h.bucket(bucket).key(first.key())));
    }

    @Test
    void aFreshCachedVersionIsUsedInsteadOfDetecting() throws Exception {
        String db = database();
        BackupPlan plan = BackupRequestMapper.map(options(), settings(db), credentials(), null, "t");
        VersionCacheStore.Entry cached = new VersionCacheStore.Entry(plan.connection().serverKey(), 170000,
                "PostgreSQL 17.0 (as cached)", System.currentTimeMillis() - 60_000);
        BackupOutcome o = EngineBridge.backup(plan, List.of(cached), new RecordingLog());
        assertEquals(List.of(cached), o.detected(), "not detected again");
        assertEquals("17.0", o.serverVersion());
    }

    @Test
    void testConnectionDetectsTheServerAndKeepsThePasswordOut() throws Exception {
        VersionCacheStore.Entry e = EngineBridge.detectServerVersion(server.spec());
        assertEquals(17, e.versionNum() / 10000);
        assertTrue(e.versionText().contains("PostgreSQL 17"), e.versionText());
        String wrong = "wrong-" + UUID.randomUUID();
        IOException x = assertThrows(IOException.class,
                () -> EngineBridge.detectServerVersion(server.specWithPassword(wrong)));
        assertFalse(String.valueOf(x.getMessage()).contains(wrong), x.getMessage());
    }

    @Test
    void testConnectionProbesTheBucketAndLeavesNothingBehind() throws Exception {
        StorageTarget target = new StorageTarget("probe", bucket, "s3");
        target.setProvider(StorageProvider.S3_COMPATIBLE);
        target.setEndpoint(s3.endpoint().toString());
        target.setPrefix("probe-" + UUID.randomUUID());
        EngineBridge.probeStorage(CommonMapping.resolve(target, "probe", credentials()));
        assertEquals(0, s3.client().listObjectsV2(ListObjectsV2Request.builder().bucket(bucket)
                .prefix(target.getPrefix() + "/").build()).keyCount());
    }
}
