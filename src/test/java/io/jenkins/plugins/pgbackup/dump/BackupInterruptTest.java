package io.jenkins.plugins.pgbackup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.retention.RetentionPolicy;
import io.jenkins.plugins.pgbackup.signing.BackupSigner;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import io.jenkins.plugins.pgbackup.testing.LoopbackGrant;
import io.jenkins.plugins.pgbackup.testing.MutableClock;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Real backups (PostgreSQL 17, pg_dump 17, S3Proxy) stopped at each point of their upload the way Jenkins stops them:
 * the thread that runs the backup is interrupted (an abort, a Pipeline {@code timeout}), the process runner kills
 * pg_dump and interrupts the thread that uploads. Afterwards the bucket's multipart uploads and objects are listed,
 * and the line the build log ends with must say exactly that. The stop points every upload has are run in both
 * storage modes: the agent with the keys, and the agent with presigned URLs from the controller's signer
 * ({@link SignedBackupTest} has what only that mode has).
 */
class BackupInterruptTest {
    private static final String DB = "stopped_big";
    private static final int PART = StreamingUploader.MIN_PART_SIZE;

    private static S3ProxyServer s3;
    private static String bucket;
    private static PostgresServers.Server server;

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
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @AfterEach
    void resetFaults() {
        s3.faults().reset();
    }

    /** Where the abort arrives. */
    enum Point { UPLOAD_CREATED, SECOND_PART, BEFORE_COMPLETE, AFTER_COMPLETE, BEFORE_MANIFEST, STORED }

    /** Who talks to storage with the keys: the agent's engine, or the controller's signer. */
    enum Access { KEYS, SIGNED }

    /**
     * Interrupts the thread that runs the backup when the dump's upload reaches {@code point}, then holds the
     * uploading thread there until the interruption has reached it too (the runner passes it on after killing
     * pg_dump): the abort lands exactly at that point.
     */
    static final class AbortAt implements StreamingUploader.Observer {
        final Point point;
        final AtomicReference<Thread> backupThread = new AtomicReference<>();
        final AtomicReference<String> uploadId = new AtomicReference<>();
        volatile boolean reached;
        /** Runs just before the abort: the storage may fail from then on. */
        volatile Runnable beforeAbort = () -> {};

        AbortAt(Point point) {
            this.point = point;
        }

        @Override
        public void uploadCreated(String key, String id) {
            uploadId.set(id);
            at(Point.UPLOAD_CREATED, key);
        }

        @Override
        public void partReady(int partNumber, int size, int buffersInUse) {
            if (partNumber == 2) {
                at(Point.SECOND_PART, ".dump");
            }
        }

        @Override
        public void beforeComplete(String id) {
            at(Point.BEFORE_COMPLETE, ".dump");
        }

        @Override
        public void afterComplete(String key) {
            at(Point.AFTER_COMPLETE, key);
        }

        @Override
        public void beforeManifest(BackupManifest manifest) {
            at(Point.BEFORE_MANIFEST, manifest.getKey());
        }

        @Override
        public void stored(UploadResult result) {
            at(Point.STORED, result.getKey());
        }

        private void at(Point p, String key) {
            if (p != point || reached || !key.endsWith(".dump")) {
                return;
            }
            reached = true;
            beforeAbort.run();
            backupThread.get().interrupt();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertTrue(Thread.currentThread().isInterrupted(), "the runner passed the interruption on");
        }
    }

    private static BackupRequest.Builder request(String prefix) {
        return request(s3.settings(bucket, prefix));
    }

    private static BackupRequest.Builder request(StorageSettings storage) {
        ConnectionSpec spec = server.spec(DB);
        return BackupRequest.builder(spec, storage)
                .toolLocations(ToolLocations.of(List.of(), List.of(PgClients.requireRoot().toString()), List.of()))
                .compression(Compression.NONE).backupBy("BackupInterruptTest");
    }

    /** Runs the backup on a thread of its own, as an executor does, and returns how it ended. */
    static Throwable runAborted(BackupEngine engine, AbortAt abort, BackupRequest request, RecordingLog log)
            throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                engine.run(request, log);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        }, "backup-under-test");
        abort.backupThread.set(t);
        t.start();
        Throwable e = outcome.get(3, TimeUnit.MINUTES);
        assertTrue(abort.reached, "the backup reached " + abort.point);
        return e;
    }

    private StoppedException abortedAt(Point point, String prefix) throws Exception {
        return abortedAt(new AbortAt(point), prefix);
    }

    /**
     * As {@link #abortedAt(Point, String)} in {@code access}'s mode. Signed, the agent's request crosses a
     * serialization as over a channel, holding no key, and the agent's own cleanup leaves the signer nothing to do.
     */
    private StoppedException abortedAt(Access access, Point point, String prefix) throws Exception {
        if (access == Access.KEYS) {
            return abortedAt(point, prefix);
        }
        try (BackupSigner signer = new BackupSigner(s3.settings(bucket, prefix), DB)) {
            AbortAt abort = new AbortAt(point);
            BackupEngine engine = new BackupEngine().partSize(PART).observeUploads(abort);
            BackupRequest request = request(signer.agentSettings()).grant(LoopbackGrant.export(signer)).build();
            Throwable e = runAborted(engine, abort, SignedBackupTest.acrossTheChannel(request), new RecordingLog());
            assertEquals(List.of(), signer.finish(), "the agent cleaned up itself; nothing was left to the controller");
            return assertInstanceOf(StoppedException.class, e);
        }
    }

    private StoppedException abortedAt(AbortAt abort, String prefix) throws Exception {
        BackupEngine engine = new BackupEngine().partSize(PART).observeUploads(abort);
        Throwable e = runAborted(engine, abort, request(prefix).build(), new RecordingLog());
        return assertInstanceOf(StoppedException.class, e);
    }

    private static List<String> objects(String prefix) {
        return s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(prefix + "/")).contents().stream()
                .map(S3Object::key).toList();
    }

    private static List<MultipartUpload> openUploads(String prefix) {
        return s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix(prefix + "/")).uploads();
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void abortedOnceTheUploadExistsBeforeAnyPartItIsAbortedAndNothingIsStored(Access access) throws Exception {
        String prefix = "created-" + access;
        StoppedException e = abortedAt(access, Point.UPLOAD_CREATED, prefix);

        assertEquals("The backup of " + DB + " was stopped after pg_dump started: pg_dump was stopped and the "
                + "multipart upload was aborted; nothing was stored.", e.summary());
        assertEquals(List.of(), openUploads(prefix));
        assertEquals(List.of(), objects(prefix));
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void abortedMidPartWhilePgDumpStreamsTheUploadIsAbortedAndNothingIsStored(Access access) throws Exception {
        String prefix = "mid-" + access;
        StoppedException e = abortedAt(access, Point.SECOND_PART, prefix);

        assertEquals("The backup of " + DB + " was stopped after pg_dump started: pg_dump was stopped and the "
                + "multipart upload was aborted; nothing was stored.", e.summary());
        assertEquals(List.of(), openUploads(prefix));
        assertEquals(List.of(), objects(prefix));
    }

    @Test
    void abortedWhileSlowPartsAreInFlightTheAbortWaitsForThemAndTheReportForTheAbort() throws Exception {
        // Parts that take longer than the runner waits for the uploading thread after killing pg_dump (5 s): the
        // report, and the closing of the S3 client, must wait for the cleanup, which waits for the parts.
        s3.faults().delayPartUploads(Duration.ofSeconds(7));
        long start = System.nanoTime();

        StoppedException e = abortedAt(Point.SECOND_PART, "slow");

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("The backup of " + DB + " was stopped after pg_dump started: pg_dump was stopped and the "
                + "multipart upload was aborted; nothing was stored.", e.summary());
        assertEquals(List.of(), openUploads("slow"));
        assertEquals(List.of(), objects("slow"));
        assertTrue(millis < 60_000, "stopped in " + millis + " ms");
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void abortedAfterTheLastPartBeforeCompleteTheUploadIsAborted(Access access) throws Exception {
        String prefix = "last-" + access;
        StoppedException e = abortedAt(access, Point.BEFORE_COMPLETE, prefix);

        assertEquals("The backup of " + DB + " was stopped after pg_dump finished, before the backup was complete: "
                + "its upload was stopped and the multipart upload was aborted; nothing was stored.", e.summary());
        assertEquals(List.of(), openUploads(prefix));
        assertEquals(List.of(), objects(prefix));
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void abortedOnceCompleteAnsweredTheObjectWithoutManifestIsDeleted(Access access) throws Exception {
        String prefix = "completed-" + access;
        StoppedException e = abortedAt(access, Point.AFTER_COMPLETE, prefix);

        assertEquals("The backup of " + DB + " was stopped after pg_dump finished, before the backup was complete: "
                + "its upload was stopped and the object was deleted; nothing was stored.", e.summary());
        assertEquals(List.of(), openUploads(prefix));
        assertEquals(List.of(), objects(prefix));
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void abortedAsTheManifestIsWrittenTheObjectIsDeletedAndNoManifestRemains(Access access) throws Exception {
        String prefix = "manifest-" + access;
        StoppedException e = abortedAt(access, Point.BEFORE_MANIFEST, prefix);

        assertEquals("The backup of " + DB + " was stopped after pg_dump finished, before the backup was complete: "
                + "its upload was stopped and the object was deleted; nothing was stored.", e.summary());
        assertEquals(List.of(), openUploads(prefix));
        assertEquals(List.of(), objects(prefix));
    }

    @Test
    void abortedOnceTheManifestIsWrittenTheBackupIsStoredAndSaysSo() throws Exception {
        StoppedException e = abortedAt(Point.STORED, "stored");

        List<String> stored = objects("stored");
        assertEquals(2, stored.size(), stored.toString());
        String key = stored.stream().filter(k -> k.endsWith(".dump")).findFirst().orElseThrow();
        assertEquals(List.of(key, BackupKeys.manifestKey(key)), stored);
        assertEquals("The backup of " + DB + " was stopped after it was stored at s3://" + bucket + "/" + key
                + "; retention did not finish.", e.summary());
        assertEquals(List.of(), openUploads("stored"));
    }

    @Test
    void abortedMidDumpWithGlobalsTheGlobalsAreDeletedToo() throws Exception {
        AbortAt abort = new AbortAt(Point.SECOND_PART);
        BackupEngine engine = new BackupEngine().partSize(PART).observeUploads(abort);
        RecordingLog log = new RecordingLog();

        Throwable e = runAborted(engine, abort, request("globals").includeGlobals(true).build(), log);

        assertTrue(log.all().contains("Globals stored at s3://" + bucket + "/globals/"), log.all());
        assertEquals("The backup of " + DB + " was stopped after pg_dump started: pg_dump was stopped and the "
                + "multipart upload was aborted; nothing was stored.",
                assertInstanceOf(StoppedException.class, e).summary());
        assertEquals(List.of(), openUploads("globals"));
        assertEquals(List.of(), objects("globals"));
    }

    @Test
    void anUploadThatCannotBeAbortedIsNamedAndTheNextBackupAbortsIt() throws Exception {
        AbortAt abort = new AbortAt(Point.SECOND_PART);
        abort.beforeAbort = () -> s3.faults().failAborts(Integer.MAX_VALUE);
        StoppedException e = abortedAt(abort, "stuck");
        s3.faults().reset();

        List<MultipartUpload> open = openUploads("stuck");
        assertEquals(1, open.size(), "what the line says is open is open");
        String key = open.get(0).key();
        String id = open.get(0).uploadId();
        assertTrue(e.summary().startsWith("The backup of " + DB + " was stopped after pg_dump started: pg_dump was "
                + "stopped; the multipart upload " + id + " of s3://" + bucket + "/" + key + " could not be aborted "
                + "(HTTP (500) (3 attempts))"), e.summary());
        assertTrue(e.summary().contains("--upload-id " + id), e.summary());
        assertTrue(e.summary().contains("lifecycle rule"), e.summary());
        assertTrue(!e.summary().contains("nothing was stored"), e.summary());
        assertEquals(List.of(), objects("stuck"));

        // The next successful backup of that database, a day later, aborts what is older than the grace period.
        MutableClock nextDay = new MutableClock(Instant.now().plus(Duration.ofHours(25)));
        RecordingLog log = new RecordingLog();
        BackupResult next = new BackupEngine(nextDay).run(request("stuck").retention(RetentionPolicy.builder().build())
                .build(), log);
        assertNotNull(next.getKey());
        assertEquals(List.of(), openUploads("stuck"));
        assertTrue(log.all().contains("Aborted the open multipart upload of an unfinished backup, " + key
                + " (upload " + id + ")"), log.all());
    }

    @Test
    void aBackupThatIsNotStoppedStillCompletes() throws Exception {
        AtomicInteger parts = new AtomicInteger();
        StreamingUploader.Observer never = new StreamingUploader.Observer() {
            @Override
            public void partReady(int partNumber, int size, int buffersInUse) {
                parts.incrementAndGet();
            }
        };
        BackupEngine engine = new BackupEngine().partSize(PART).observeUploads(never);
        CompletableFuture<BackupResult> r = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.run(request("whole").build(), new RecordingLog());
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
        BackupResult result;
        try {
            result = r.get(3, TimeUnit.MINUTES);
        } catch (ExecutionException x) {
            throw new AssertionError(x.getCause());
        }
        assertTrue(parts.get() >= 4, "several parts: " + parts);
        assertEquals(List.of(result.getKey(), BackupKeys.manifestKey(result.getKey())), objects("whole"));
    }
}
