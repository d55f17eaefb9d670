package io.jenkins.plugins.pgbackup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.dump.BackupInterruptTest.AbortAt;
import io.jenkins.plugins.pgbackup.dump.BackupInterruptTest.Point;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.restore.RestoreEngine;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import io.jenkins.plugins.pgbackup.retention.RetentionPolicy;
import io.jenkins.plugins.pgbackup.signing.BackupSigner;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.ManifestStore;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.LoopbackGrant;
import io.jenkins.plugins.pgbackup.testing.MutableClock;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups where the controller keeps the storage keys (real PostgreSQL 17, pg_dump 17, S3Proxy checking every
 * signature): the agent's side gets settings without keys and a reference to the controller's {@link BackupSigner},
 * serialized and deserialized as a channel would, and the bytes it receives are searched for the keys. Restored with
 * the keys-mode engine, stopped while slow parts are in flight, with globals and with the agent gone, and pruned by
 * the controller afterwards. The stop points every upload has run in both modes in {@link BackupInterruptTest}.
 */
class SignedBackupTest {
    private static final String DB = "signed_big";
    private static final String RICH = "signed_rich";
    private static final int PART = StreamingUploader.MIN_PART_SIZE;

    private static S3ProxyServer s3;
    private static String bucket;
    private static PostgresServers.Server server;

    private final List<BackupSigner> signers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.inMemory();
        bucket = s3.createBucket();
        server = PostgresServers.get(17);
        server.createDatabase(DB);
        try (Connection c = server.connect(DB); Statement s = c.createStatement()) {
            // About 19 MB uncompressed: four parts of 5 MiB, and pg_dump still streaming while the first ones go.
            s.execute("DROP TABLE IF EXISTS big");
            s.execute("CREATE TABLE big AS SELECT i, md5(i::text) || md5((i * 7)::text) AS v"
                    + " FROM generate_series(1, 250000) i");
        }
        server.createDatabase(RICH);
        DatabaseFingerprint.loadRichSchema(server, RICH);
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @AfterEach
    void finishSigners() {
        s3.faults().reset();
        signers.forEach(BackupSigner::finish);
    }

    /** The controller's side: the signer with the keys, and the reference the agent gets. */
    private record Controller(BackupSigner signer, LoopbackGrant grant, StorageSettings keys) {}

    private Controller controller(String database, String prefix) {
        StorageSettings keys = s3.settings(bucket, prefix);
        BackupSigner signer = new BackupSigner(keys, database);
        signers.add(signer);
        return new Controller(signer, LoopbackGrant.export(signer), keys);
    }

    private static ToolLocations clients() {
        return ToolLocations.of(List.of(), List.of(PgClients.requireRoot().toString()), List.of());
    }

    private static BackupRequest.Builder request(Controller c, String database) {
        return BackupRequest.builder(server.spec(database), c.signer().agentSettings()).grant(c.grant())
                .toolLocations(clients()).compression(Compression.NONE).backupBy("SignedBackupTest");
    }

    /** What the agent receives, through serialization as over a channel; the keys are nowhere in it. */
    static BackupRequest acrossTheChannel(BackupRequest request) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(request);
        }
        assertNoKeys(bytes.toByteArray());
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (BackupRequest) in.readObject();
        }
    }

    static void assertNoKeys(byte[] sent) {
        for (String secret : List.of(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)) {
            for (byte[] form : List.of(secret.getBytes(StandardCharsets.UTF_8),
                    secret.getBytes(StandardCharsets.UTF_16BE))) {
                assertFalse(contains(sent, form), "a key is in what the agent receives");
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static List<String> objects(String prefix) {
        return s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(prefix + "/")).contents().stream()
                .map(S3Object::key).toList();
    }

    private static List<MultipartUpload> openUploads(String prefix) {
        return s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix(prefix + "/")).uploads();
    }

    @Test
    void aBackupWhoseAgentHoldsNoKeysRestoresToTheSameContent() throws Exception {
        Controller c = controller(RICH, "roundtrip");
        BackupRequest received = acrossTheChannel(request(c, RICH).compression(null).build());
        assertThrows(IllegalStateException.class, () -> S3Clients.create(received.getStorage()),
                "nothing on the agent can make an S3 client");
        RecordingLog log = new RecordingLog();

        BackupResult r = new BackupEngine().run(received, log);

        assertTrue(r.isRetentionLeftToCaller());
        assertNull(r.getPruned());
        assertTrue(log.all().contains("Retention runs on the controller"), log.all());
        assertEquals(List.of(r.getKey(), BackupKeys.manifestKey(r.getKey())), objects("roundtrip"));
        assertEquals(List.of(), c.signer().finish(), "the agent left nothing for the controller to clean up");
        String target = "signed_restored_" + UUID.randomUUID().toString().substring(0, 8);
        server.createDatabase(target);
        new RestoreEngine().run(RestoreRequest.builder(server.spec(target), c.keys()).key(r.getKey())
                .toolLocations(clients()).build(), new RecordingLog());
        assertEquals(DatabaseFingerprint.of(server, RICH), DatabaseFingerprint.of(server, target));
    }

    @Test
    void aBackupOfSeveralPartsAsksForPartUrlsInOneBatchAndStoresWhatPgDumpWrote() throws Exception {
        Controller c = controller(DB, "parts");

        BackupResult r = new BackupEngine().partSize(PART).run(acrossTheChannel(request(c, DB).build()),
                new RecordingLog());

        BackupManifest manifest = new ManifestStore(s3.client(), bucket).read(r.getKey()).orElseThrow();
        assertTrue(manifest.getParts() >= 4, "parts: " + manifest.getParts());
        assertEquals(PART, manifest.getPartSize());
        assertEquals(1, c.grant().calls("partUrls"), "up to 32 part URLs per call");
        assertEquals(r.getSha256(), TestStreams.sha256(s3.client().getObject(b -> b.bucket(bucket).key(r.getKey()))));
        assertEquals(r.getSize(), manifest.getSize());
    }

    @Test
    void theGlobalsGoThroughTheControllerToo() throws Exception {
        Controller c = controller(DB, "globals-ok");

        BackupResult r = new BackupEngine().run(acrossTheChannel(request(c, DB).includeGlobals(true).build()),
                new RecordingLog());

        String globals = BackupKeys.globalsKey(r.getKey());
        assertEquals(globals, r.getGlobals().key());
        assertEquals(List.of(r.getKey(), BackupKeys.manifestKey(r.getKey()), globals,
                BackupKeys.manifestKey(globals)).stream().sorted().toList(), objects("globals-ok"));
        String script = new String(s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(globals)).asByteArray(),
                StandardCharsets.UTF_8);
        assertTrue(script.contains("CREATE ROLE"), script);
        assertEquals(List.of(), c.signer().finish());
    }

    @Test
    void theControllerRunsRetentionWithItsOwnClientAfterTheAgentReturned() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-10T03:00:00Z"));
        RetentionPolicy keepTwo = RetentionPolicy.builder().keepLast(2).build();
        List<BackupResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Controller c = controller(RICH, "retention");
            BackupResult agentSide = new BackupEngine(clock).run(acrossTheChannel(request(c, RICH)
                    .retention(keepTwo).build()), new RecordingLog());
            c.signer().finish();
            assertTrue(agentSide.isRetentionLeftToCaller());
            RecordingLog controllerLog = new RecordingLog();
            results.add(BackupRetention.apply(agentSide, keepTwo, new BackupCatalog(s3.client(), c.keys()),
                    controllerLog, clock.instant()));
            clock.advance(Duration.ofDays(1));
        }

        assertEquals(List.of(), results.get(1).prunedKeys());
        assertEquals(List.of(results.get(0).getKey()), results.get(2).prunedKeys());
        assertFalse(results.get(2).isRetentionLeftToCaller());
        assertEquals(List.of(results.get(1).getKey(), BackupKeys.manifestKey(results.get(1).getKey()),
                results.get(2).getKey(), BackupKeys.manifestKey(results.get(2).getKey())), objects("retention"));
    }

    private StoppedException abortedAt(Point point, String prefix) throws Exception {
        Controller c = controller(DB, prefix);
        AbortAt abort = new AbortAt(point);
        BackupEngine engine = new BackupEngine().partSize(PART).observeUploads(abort);
        Throwable e = BackupInterruptTest.runAborted(engine, abort, acrossTheChannel(request(c, DB).build()),
                new RecordingLog());
        assertEquals(List.of(), c.signer().finish(), "the agent cleaned up itself; nothing was left to the controller");
        return assertInstanceOf(StoppedException.class, e);
    }

    @Test
    void stoppedWhileSlowPartsAreInFlightTheAbortWaitsForNothingAndLeavesNothing() throws Exception {
        // Parts that take 7 s on the server: the agent's part requests are cancelled with their threads, and the
        // controller's abort goes out at once.
        s3.faults().delayPartUploads(Duration.ofSeconds(7));
        long start = System.nanoTime();

        StoppedException e = abortedAt(Point.SECOND_PART, "s-slow");

        long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("The backup of " + DB + " was stopped after pg_dump started: pg_dump was stopped and the "
                + "multipart upload was aborted; nothing was stored.", e.summary());
        Thread.sleep(8000); // a part the server was still storing has landed by now
        assertEquals(List.of(), openUploads("s-slow"));
        assertEquals(List.of(), objects("s-slow"));
        assertTrue(millis < 60_000, "stopped in " + millis + " ms");
    }

    @Test
    void stoppedMidDumpWithGlobalsTheGlobalsAreDeletedThroughTheController() throws Exception {
        Controller c = controller(DB, "s-globals");
        AbortAt abort = new AbortAt(Point.SECOND_PART);
        BackupEngine engine = new BackupEngine().partSize(PART).observeUploads(abort);
        RecordingLog log = new RecordingLog();

        Throwable e = BackupInterruptTest.runAborted(engine, abort,
                acrossTheChannel(request(c, DB).includeGlobals(true).build()), log);

        assertTrue(log.all().contains("Globals stored at s3://" + bucket + "/s-globals/"), log.all());
        assertEquals("The backup of " + DB + " was stopped after pg_dump started: pg_dump was stopped and the "
                + "multipart upload was aborted; nothing was stored.",
                assertInstanceOf(StoppedException.class, e).summary());
        assertEquals(List.of(), c.signer().finish());
        assertEquals(List.of(), openUploads("s-globals"));
        assertEquals(List.of(), objects("s-globals"));
    }

    @Test
    void whenTheAgentIsGoneTheControllerAbortsWhatItLeftOpen() throws Exception {
        Controller c = controller(DB, "s-dead");
        // The channel closes once the second part is read: the agent can neither complete nor abort any more.
        StreamingUploader.Observer channelCloses = new StreamingUploader.Observer() {
            @Override
            public void partReady(int partNumber, int size, int buffersInUse) {
                if (partNumber == 2) {
                    c.grant().unexport();
                }
            }
        };
        BackupEngine engine = new BackupEngine().partSize(PART).observeUploads(channelCloses);

        BackupException e = assertThrows(BackupException.class,
                () -> engine.run(acrossTheChannel(request(c, DB).build()), new RecordingLog()));
        assertTrue(e.getMessage().contains("could not be aborted"), e.getMessage());
        assertEquals(1, openUploads("s-dead").size(), "what the agent could not abort is open");

        List<String> report = c.signer().finish();

        assertEquals(1, report.size(), report.toString());
        assertTrue(report.get(0).startsWith("aborted the open upload "), report.toString());
        assertEquals(List.of(), openUploads("s-dead"));
        assertEquals(List.of(), objects("s-dead"));
    }

    @Test
    void aBucketTheControllerCannotWriteToFailsBeforePgDumpAndIsNamed() throws Exception {
        StorageSettings keys = s3.settings("missing-bucket", "nowhere");
        BackupSigner signer = new BackupSigner(keys, DB);
        signers.add(signer);
        BackupRequest r = BackupRequest.builder(server.spec(DB), signer.agentSettings())
                .grant(LoopbackGrant.export(signer)).toolLocations(clients()).build();
        RecordingLog log = new RecordingLog();

        BackupException e = assertThrows(BackupException.class, () -> new BackupEngine().run(r, log));

        assertTrue(e.getMessage().startsWith("Bucket missing-bucket does not exist at " + s3.endpoint()),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("Nothing was dumped or stored."), e.getMessage());
        assertFalse(log.all().contains("Plan: pg_dump"), log.all());
    }

    @Test
    void theRequestRefusesKeysWithAGrantAndNoKeysWithoutOne() {
        Controller c = controller(DB, "refused");
        assertThrows(IllegalArgumentException.class,
                () -> BackupRequest.builder(server.spec(DB), c.keys()).grant(c.grant()).build());
        assertThrows(IllegalArgumentException.class,
                () -> BackupRequest.builder(server.spec(DB), c.signer().agentSettings()).build());
    }
}
