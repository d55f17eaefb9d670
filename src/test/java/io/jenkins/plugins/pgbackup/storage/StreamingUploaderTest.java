package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Part;

class StreamingUploaderTest {
    private static final int PART = StreamingUploader.MIN_PART_SIZE;
    private static final Instant WHEN = Instant.parse("2025-11-17T15:04:05Z");

    private static S3ProxyServer server;
    private S3Client s3;
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void newBucket() {
        s3 = server.client();
        bucket = server.createBucket();
    }

    @AfterEach
    void resetFaults() {
        server.faults().reset();
    }

    private StreamingUploader uploader() {
        return new StreamingUploader(s3, bucket).withPartSize(PART);
    }

    private static BackupMetadata metadata(String database) {
        return BackupMetadata.builder(database, WHEN).backupBy("jenkins job nightly #7").postgresVersion("17")
                .dumpFormat("custom").serverVersion("17.6").pgDumpVersion("17.6").compression("zstd:3").build();
    }

    @Test
    void uploadsThreeAndAHalfPartsWithSizeHashAndMetadata() throws Exception {
        long size = 3 * PART + PART / 2;
        List<Long> progress = new ArrayList<>();
        UploadResult result = uploader().upload(TestStreams.random(size, 1), "b/db/db.dump", metadata("db"),
                progress::add);

        String expectedSha = TestStreams.sha256(size, 1);
        assertEquals(size, result.getSize());
        assertEquals(expectedSha, result.getSha256());
        assertEquals(4, result.getParts());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("b/db/db.dump"));
        assertEquals(size, head.contentLength());
        Map<String, String> m = head.metadata();
        assertEquals("db", m.get("database"));
        assertEquals("20251117_150405", m.get("timestamp"));
        assertEquals("jenkins job nightly #7", m.get("backup-by"));
        assertEquals("17", m.get("postgres-version"));
        assertEquals("custom", m.get("dump-format"));
        assertEquals("17.6", m.get("server-version"));
        assertEquals("17.6", m.get("pg-dump-version"));
        assertEquals("zstd:3", m.get("compression"));
        assertEquals("jenkins-postgresql-backup", m.get("created-by"));
        assertNull(m.get("size"), "known only at the end: in the manifest");
        assertNull(m.get("sha256"), "known only at the end: in the manifest");
        assertEquals("b/db/db.dump.manifest.json", result.getManifestKey());
        BackupManifest manifest = manifest("b/db/db.dump");
        assertEquals("b/db/db.dump", manifest.getKey());
        assertEquals(size, manifest.getSize());
        assertEquals(expectedSha, manifest.getSha256());
        assertEquals(BackupManifest.normalizeETag(head.eTag()), manifest.getETag());
        assertEquals(BackupManifest.normalizeETag(result.getETag()), manifest.getETag());
        assertEquals(4, manifest.getParts());
        assertEquals(PART, manifest.getPartSize());
        assertEquals(metadata("db"), manifest.getMetadata());
        assertTrue(manifest.getDurationMillis() >= 0 && result.getFinishMillis() >= 0);
        assertEquals(0, server.faults().copies(), "nothing is copied");
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key("b/db/db.dump"))) {
            assertEquals(expectedSha, TestStreams.sha256(in));
        }
        assertEquals(size, progress.get(progress.size() - 1));
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) > progress.get(i - 1), "progress only grows");
        }
        assertNoUploadsLeft();
    }

    @Test
    void cutsEveryPartButTheLastToTheSameSizeWhateverTheReadSizes() throws Exception {
        long size = 3 * PART + 12345;
        List<Long> partSizes = new ArrayList<>();
        StreamingUploader.Observer listParts = new StreamingUploader.Observer() {
            @Override
            public void beforeComplete(String uploadId) {
                s3.listParts(b -> b.bucket(bucket).key("odd-reads.dump").uploadId(uploadId)).parts().stream()
                        .map(Part::size).forEach(partSizes::add);
            }
        };

        // 7777-byte reads never line up with the part size, as pg_dump's pipe does not
        uploader().withObserver(listParts).upload(TestStreams.random(size, 2, 7777), "odd-reads.dump",
                metadata("db"), p -> {});

        assertEquals(List.of((long) PART, (long) PART, (long) PART, 12345L), partSizes);
    }

    @Test
    void holdsAtMostConcurrencyPlusOnePartsWhileStreaming200Megabytes() throws Exception {
        long size = 200L * 1000 * 1000;
        AtomicInteger mostInUse = new AtomicInteger();
        AtomicInteger partsSeen = new AtomicInteger();
        StreamingUploader.Observer watch = new StreamingUploader.Observer() {
            @Override
            public void partReady(int partNumber, int partSize, int buffersInUse) {
                mostInUse.accumulateAndGet(buffersInUse, Math::max);
                partsSeen.incrementAndGet();
            }
        };
        try (S3ProxyServer disk = S3ProxyServer.onDisk(java.nio.file.Files.createTempDirectory("s3proxy"))) {
            S3Client client = disk.client();
            String b = disk.createBucket();
            StreamingUploader up = new StreamingUploader(client, b).withPartSize(PART).withObserver(watch);

            UploadResult result = up.upload(TestStreams.random(size, 3), "big.dump", metadata("big"), p -> {});

            assertEquals(size, result.getSize());
            assertEquals(TestStreams.sha256(size, 3), result.getSha256());
            assertEquals((size + PART - 1) / PART, result.getParts());
            assertEquals(result.getParts(), partsSeen.get());
            assertTrue(mostInUse.get() <= up.maxBuffers(), "at most " + up.maxBuffers() + " buffers, saw "
                    + mostInUse.get());
            assertTrue(mostInUse.get() >= 2, "reading overlaps uploading, saw " + mostInUse.get());
            assertEquals(size, client.headObject(h -> h.bucket(b).key("big.dump")).contentLength());
        }
    }

    @Test
    void sourceFailingMidStreamLeavesNoObjectAndNoUpload() {
        IOException e = assertThrows(IOException.class, () -> uploader().upload(
                TestStreams.failingAfter(2L * PART + 100, 4), "broken.dump", metadata("db"), p -> {}));

        assertTrue(e.getMessage().contains("Injected source failure"), e.getMessage());
        assertNoObject("broken.dump");
        assertNoUploadsLeft();
    }

    @Test
    void storageFailingMidUploadLeavesNoObjectAndNoUpload() {
        server.faults().failPartUploadsAfter(2);

        StorageException e = assertThrows(StorageException.class, () -> uploader().upload(
                TestStreams.random(5L * PART, 5), "s3-broken.dump", metadata("db"), p -> {}));

        assertTrue(e.getMessage().contains("multipart upload was aborted"), e.getMessage());
        assertTrue(server.faults().partUploads() > 2, "the failing part was attempted");
        assertNoObject("s3-broken.dump");
        assertNoUploadsLeft();
    }

    @Test
    void aFailedCompleteLeavesNoObjectAndNoUpload() {
        server.faults().failCompleteMultipartUpload();

        assertThrows(StorageException.class, () -> uploader().upload(TestStreams.random(2L * PART + 9, 16),
                "incomplete.dump", metadata("db"), p -> {}));

        assertNoObject("incomplete.dump");
        assertNoUploadsLeft();
    }

    @Test
    void aRefusingSourceCheckAbortsTheUpload() {
        IOException refusal = new IOException("pg_dump exited with status 1");

        IOException e = assertThrows(IOException.class, () -> uploader().upload(TestStreams.random(2L * PART + 1, 6),
                "refused.dump", metadata("db"), p -> {}, bytes -> {
                    throw refusal;
                }));

        assertSame(refusal, e);
        assertNoObject("refused.dump");
        assertNoUploadsLeft();
    }

    @Test
    void aRefusingSourceCheckStopsASmallUploadToo() {
        assertThrows(IOException.class, () -> uploader().upload(TestStreams.random(1000, 6), "small-refused.dump",
                metadata("db"), p -> {}, bytes -> {
                    throw new IOException("pg_dump was killed");
                }));

        assertNoObject("small-refused.dump");
    }

    @Test
    void interruptionAbortsTheUpload() throws Exception {
        CountDownLatch twoPartsRead = new CountDownLatch(1);
        InputStream endless = TestStreams.random(Long.MAX_VALUE, 7);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                uploader().upload(endless, "interrupted.dump", metadata("db"), p -> {
                    if (p > 2L * PART) {
                        twoPartsRead.countDown();
                    }
                });
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        t.start();
        assertTrue(twoPartsRead.await(30, TimeUnit.SECONDS));

        t.interrupt();

        Throwable e = outcome.get(60, TimeUnit.SECONDS);
        assertTrue(e instanceof InterruptedException, String.valueOf(e));
        assertNoObject("interrupted.dump");
        assertNoUploadsLeft();
    }

    @Test
    void aDumpSmallerThanAPartIsOnePutObject() throws Exception {
        UploadResult result = uploader().upload(TestStreams.random(1000, 8), "small.dump", metadata("db"), p -> {});

        assertEquals(1, result.getParts());
        assertEquals(TestStreams.sha256(1000, 8), result.getSha256());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("small.dump"));
        assertEquals("db", head.metadata().get("database"));
        BackupManifest manifest = manifest("small.dump");
        assertEquals(result.getSha256(), manifest.getSha256());
        assertEquals(1000, manifest.getSize());
        assertEquals(1, manifest.getParts());
        assertEquals(BackupManifest.normalizeETag(head.eTag()), manifest.getETag());
    }

    @Test
    void aDumpOfExactlyOnePartIsStoredWhole() throws Exception {
        UploadResult result = uploader().upload(TestStreams.random(PART, 9), "one.dump", metadata("db"), p -> {});

        assertEquals(1, result.getParts());
        assertEquals(TestStreams.sha256(PART, 9), manifest("one.dump").getSha256());
    }

    @Test
    void refusesToOverwriteAnExistingObject() throws Exception {
        uploader().upload(TestStreams.random(10, 10), "taken.dump", metadata("db"), p -> {});

        StorageException e = assertThrows(StorageException.class, () -> uploader().upload(
                TestStreams.random(20, 11), "taken.dump", metadata("db"), p -> {}));

        assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
        assertEquals(10, s3.headObject(b -> b.bucket(bucket).key("taken.dump")).contentLength());
    }

    @Test
    void theManifestIsWrittenLastAndUntilThenTheObjectIsNoBackup() throws Exception {
        BackupCatalog catalog = new BackupCatalog(s3, server.settings(bucket, "p"));
        String key = BackupKeys.key("p", "db", WHEN, "dump");
        List<String> seen = new ArrayList<>();
        StreamingUploader.Observer look = new StreamingUploader.Observer() {
            @Override
            public void beforeManifest(BackupManifest manifest) {
                try {
                    seen.add("object " + s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
                    seen.add("manifest " + catalog.readManifest(key).isPresent());
                    seen.add("latest " + catalog.latest("db").isPresent());
                    seen.add("unfinished " + catalog.inventory("db").getUnfinished().size());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        uploader().withObserver(look).upload(TestStreams.random(2L * PART + 3, 17), key, metadata("db"), p -> {});

        assertEquals(List.of("object " + (2L * PART + 3), "manifest false", "latest false", "unfinished 1"), seen);
        assertEquals(key, catalog.latest("db").orElseThrow().getKey());
        assertEquals(0, catalog.inventory("db").getUnfinished().size());
    }

    @Test
    void aFailedManifestWriteDeletesTheObject() {
        server.faults().failPutsEndingWith(BackupKeys.MANIFEST_SUFFIX);

        StorageException e = assertThrows(StorageException.class, () -> uploader().upload(
                TestStreams.random(2L * PART + 5, 13), "manifest-failed.dump", metadata("db"), p -> {}));

        assertTrue(e.getMessage().contains("Writing the manifest"), e.getMessage());
        assertTrue(e.getMessage().contains("the object was deleted"), e.getMessage());
        assertNoObject("manifest-failed.dump");
        assertNoUploadsLeft();
    }

    @Test
    void aFailedManifestWriteOfASmallDumpDeletesTheObjectToo() {
        server.faults().failPutsEndingWith(BackupKeys.MANIFEST_SUFFIX);

        assertThrows(StorageException.class, () -> uploader().upload(TestStreams.random(100, 13),
                "small-manifest-failed.dump", metadata("db"), p -> {}));

        assertNoObject("small-manifest-failed.dump");
    }

    @Test
    void metadataTheServerDidNotKeepDeletesTheObject() {
        server.faults().corruptMetadataOnUploadStart();

        StorageException e = assertThrows(StorageException.class, () -> uploader().upload(
                TestStreams.random(2L * PART, 15), "mangled.dump", metadata("db"), p -> {}));

        assertTrue(e.getMessage().contains("has metadata"), e.getMessage());
        assertNoObject("mangled.dump");
    }

    @Test
    void sizeAndShaPassedInTheMetadataAreNotWrittenToTheObject() throws Exception {
        BackupMetadata withContent = metadata("db").withContent(1, "0".repeat(64));

        UploadResult r = uploader().upload(TestStreams.random(2L * PART, 18), "clean.dump", withContent, p -> {});

        Map<String, String> m = s3.headObject(b -> b.bucket(bucket).key("clean.dump")).metadata();
        assertFalse(m.containsKey("sha256") || m.containsKey("size"), m.toString());
        assertEquals(r.getSha256(), manifest("clean.dump").getSha256());
    }

    @Test
    void partSizeLets10000PartsHoldTheExpectedSize() {
        for (long expected : new long[] {1, 160L << 30, 161L << 30, 1L << 40, 5L << 40}) {
            int part = StreamingUploader.partSizeFor(expected);
            assertTrue(part >= StreamingUploader.DEFAULT_PART_SIZE);
            assertTrue((long) part * StreamingUploader.MAX_PARTS >= expected, "covers " + expected);
            assertEquals(0, part % (1 << 20), "whole MiB");
            assertTrue(part == StreamingUploader.DEFAULT_PART_SIZE
                    || (long) (part - (1 << 20)) * StreamingUploader.MAX_PARTS < expected, "no larger than needed");
        }
        assertThrows(IllegalArgumentException.class, () -> StreamingUploader.partSizeFor(20L << 40));
    }

    private BackupManifest manifest(String key) throws StorageException {
        return new ManifestStore(s3, bucket).read(key).orElseThrow();
    }

    /** Neither the object nor a manifest for it. */
    private void assertNoObject(String key) {
        assertFalse(s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().anyMatch(o -> o.key().equals(key)),
                key + " must not exist");
        assertFalse(s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                .anyMatch(o -> o.key().equals(BackupKeys.manifestKey(key))), "no manifest for " + key);
    }

    private void assertNoUploadsLeft() {
        assertEquals(Collections.emptyList(), s3.listMultipartUploads(b -> b.bucket(bucket)).uploads());
        // below the S3 API: no stored part and no S3Proxy upload stub either
        List<String> raw = server.rawBlobNames(bucket);
        raw.removeIf(name -> !name.startsWith(".mpus-") && !name.matches("[0-9a-f-]{36}"));
        assertEquals(Collections.emptyList(), raw);
    }
}
