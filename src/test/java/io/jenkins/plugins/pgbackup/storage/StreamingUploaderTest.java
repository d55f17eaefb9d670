package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertEquals(Long.toString(size), m.get("size"));
        assertEquals(expectedSha, m.get("sha256"));
        assertEquals("jenkins-postgresql-backup", m.get("created-by"));
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
        Map<String, String> m = s3.headObject(b -> b.bucket(bucket).key("small.dump")).metadata();
        assertEquals(result.getSha256(), m.get("sha256"));
        assertEquals("1000", m.get("size"));
    }

    @Test
    void aDumpOfExactlyOnePartIsStoredWhole() throws Exception {
        UploadResult result = uploader().upload(TestStreams.random(PART, 9), "one.dump", metadata("db"), p -> {});

        assertEquals(1, result.getParts());
        assertEquals(TestStreams.sha256(PART, 9), s3.headObject(b -> b.bucket(bucket).key("one.dump")).metadata()
                .get("sha256"));
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
    void objectsAboveTheCopyLimitGetTheirMetadataThroughAMultipartCopy() throws Exception {
        long size = 3L * PART + 777;
        StreamingUploader up = uploader().withCopyObjectLimit(2L * PART, PART);

        UploadResult result = up.upload(TestStreams.random(size, 12), "copied.dump", metadata("db"), p -> {});

        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("copied.dump"));
        assertEquals(size, head.contentLength());
        assertEquals(result.getSha256(), head.metadata().get("sha256"));
        assertEquals("zstd:3", head.metadata().get("compression"));
        byte[] content = s3.getObject(b -> b.bucket(bucket).key("copied.dump"), ResponseTransformer.toBytes())
                .asByteArray();
        assertEquals(TestStreams.sha256(size, 12), TestStreams.sha256(new java.io.ByteArrayInputStream(content)));
        assertNoUploadsLeft();
    }

    @Test
    void aFailedMetadataCopyDeletesTheObject() {
        server.faults().failCopyObject();

        StorageException e = assertThrows(StorageException.class, () -> uploader().upload(
                TestStreams.random(2L * PART + 5, 13), "copy-failed.dump", metadata("db"), p -> {}));

        assertTrue(e.getMessage().contains("the object was deleted"), e.getMessage());
        assertNoObject("copy-failed.dump");
        assertNoUploadsLeft();
    }

    @Test
    void aFailedMultipartCopyDeletesTheObjectAndAbortsTheCopy() {
        // three parts upload, then the second range of the copy fails
        server.faults().failPartUploadsAfter(4);
        StreamingUploader up = uploader().withCopyObjectLimit(PART, PART);

        assertThrows(StorageException.class, () -> up.upload(TestStreams.random(3L * PART, 14), "mp-copy.dump",
                metadata("db"), p -> {}));

        assertNoObject("mp-copy.dump");
        assertNoUploadsLeft();
    }

    @Test
    void metadataTheServerDidNotKeepDeletesTheObject() {
        server.faults().corruptMetadataOnCopy();

        StorageException e = assertThrows(StorageException.class, () -> uploader().upload(
                TestStreams.random(2L * PART, 15), "mangled.dump", metadata("db"), p -> {}));

        assertTrue(e.getMessage().contains("has metadata"), e.getMessage());
        assertNoObject("mangled.dump");
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

    private void assertNoObject(String key) {
        assertFalse(s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().anyMatch(o -> o.key().equals(key)),
                key + " must not exist");
    }

    private void assertNoUploadsLeft() {
        assertEquals(Collections.emptyList(), s3.listMultipartUploads(b -> b.bucket(bucket)).uploads());
        // below the S3 API: no stored part and no S3Proxy upload stub either
        List<String> raw = server.rawBlobNames(bucket);
        raw.removeIf(name -> !name.startsWith(".mpus-") && !name.matches("[0-9a-f-]{36}"));
        assertEquals(Collections.emptyList(), raw);
    }
}
