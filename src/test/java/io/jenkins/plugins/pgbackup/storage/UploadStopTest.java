package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * An upload stopped at each of its checkpoints (the thread interrupted there, as a Jenkins abort does) cleans up from
 * a thread of its own and says exactly what it did: real S3 API (S3Proxy), real multipart uploads, listed afterwards.
 */
class UploadStopTest {
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
        Thread.interrupted();
    }

    private static BackupMetadata metadata() {
        return BackupMetadata.builder("db", WHEN).backupBy("stop test").postgresVersion("17").dumpFormat("custom")
                .serverVersion("17.6").pgDumpVersion("17.6").compression("zstd:3").build();
    }

    /** Where a test stops the upload, and what the upload reported. */
    private enum At { CREATED, SECOND_PART, BEFORE_COMPLETE, AFTER_COMPLETE, BEFORE_MANIFEST }

    private static final class Stopper implements StreamingUploader.Observer {
        final At at;
        final AtomicReference<UploadCleanup> cleanup = new AtomicReference<>();
        final AtomicReference<String> uploadId = new AtomicReference<>();
        volatile Runnable stop = () -> Thread.currentThread().interrupt();

        Stopper(At at) {
            this.at = at;
        }

        @Override
        public void uploadCreated(String key, String id) {
            uploadId.set(id);
            stopIf(At.CREATED);
        }

        @Override
        public void partReady(int partNumber, int size, int buffersInUse) {
            if (partNumber == 2) {
                stopIf(At.SECOND_PART);
            }
        }

        @Override
        public void beforeComplete(String id) {
            stopIf(At.BEFORE_COMPLETE);
        }

        @Override
        public void afterComplete(String key) {
            stopIf(At.AFTER_COMPLETE);
        }

        @Override
        public void beforeManifest(BackupManifest manifest) {
            stopIf(At.BEFORE_MANIFEST);
        }

        @Override
        public void cleanedUp(String key, UploadCleanup c) {
            cleanup.set(c);
        }

        private void stopIf(At point) {
            if (point == at) {
                stop.run();
            }
        }
    }

    private InterruptedException stoppedUpload(Stopper stopper, String key) {
        StreamingUploader up = new StreamingUploader(s3, bucket).withPartSize(PART).withObserver(stopper);
        return assertThrows(InterruptedException.class,
                () -> up.upload(TestStreams.random(3L * PART + 17, 21), key, metadata(), p -> {}));
    }

    @Test
    void stoppedRightAfterTheUploadWasCreatedItIsAbortedBeforeAnyPart() {
        Stopper stopper = new Stopper(At.CREATED);

        InterruptedException e = stoppedUpload(stopper, "created.dump");

        assertEquals("The upload of s3://" + bucket + "/created.dump was stopped; the multipart upload was aborted; "
                + "nothing was stored", e.getMessage());
        assertNotNull(stopper.uploadId.get(), "the upload had been created");
        assertTrue(stopper.cleanup.get().isClean());
        assertNothingLeft("created.dump");
    }

    @Test
    void stoppedWhilePartsAreInFlightTheyEndBeforeTheAbort() {
        Stopper stopper = new Stopper(At.SECOND_PART);

        InterruptedException e = stoppedUpload(stopper, "mid.dump");

        assertTrue(e.getMessage().endsWith("the multipart upload was aborted; nothing was stored"), e.getMessage());
        assertNothingLeft("mid.dump");
    }

    @Test
    void interruptedOverAndOverWhileCleaningUpItStillAborts() throws Exception {
        Stopper stopper = new Stopper(At.SECOND_PART);
        Thread uploading = Thread.currentThread();
        Thread hammer = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                uploading.interrupt(); // every abort click, every timeout: the SDK refuses to send from this thread
                Thread.onSpinWait();
            }
        });
        stopper.stop = hammer::start;
        try {
            InterruptedException e = stoppedUpload(stopper, "hammered.dump");
            assertTrue(e.getMessage().endsWith("the multipart upload was aborted; nothing was stored"),
                    e.getMessage());
        } finally {
            hammer.interrupt();
            // Until it notices, the hammer may strike this thread once more: wait it out, then clear the flag.
            while (hammer.isAlive()) {
                try {
                    hammer.join();
                } catch (InterruptedException lastBlow) {
                    // expected while the hammer stops
                }
            }
            Thread.interrupted();
        }
        assertNothingLeft("hammered.dump");
    }

    @Test
    void stoppedAfterTheLastPartBeforeCompleteIsAborted() {
        Stopper stopper = new Stopper(At.BEFORE_COMPLETE);

        InterruptedException e = stoppedUpload(stopper, "last.dump");

        assertTrue(e.getMessage().endsWith("the multipart upload was aborted; nothing was stored"), e.getMessage());
        assertNothingLeft("last.dump");
    }

    @Test
    void stoppedOnceCompleteAnsweredTheObjectIsDeleted() {
        Stopper stopper = new Stopper(At.AFTER_COMPLETE);

        InterruptedException e = stoppedUpload(stopper, "completed.dump");

        assertTrue(e.getMessage().endsWith("; the object was deleted; nothing was stored"), e.getMessage());
        assertNothingLeft("completed.dump");
    }

    @Test
    void stoppedAsTheManifestIsWrittenTheObjectIsDeletedAndNoManifestRemains() {
        Stopper stopper = new Stopper(At.BEFORE_MANIFEST);

        InterruptedException e = stoppedUpload(stopper, "manifest.dump");

        assertTrue(e.getMessage().endsWith("the object was deleted; nothing was stored"), e.getMessage());
        assertNothingLeft("manifest.dump");
    }

    @Test
    void anAbortThatKeepsFailingIsReportedWithKeyUploadIdAndTheWayOut() {
        server.faults().failAborts(Integer.MAX_VALUE);
        Stopper stopper = new Stopper(At.SECOND_PART);

        InterruptedException e = stoppedUpload(stopper, "stuck.dump");

        String id = stopper.uploadId.get();
        assertFalse(stopper.cleanup.get().isClean());
        assertTrue(e.getMessage().contains("the multipart upload " + id + " of s3://" + bucket + "/stuck.dump could "
                + "not be aborted (HTTP (500) (3 attempts))"), e.getMessage());
        assertTrue(e.getMessage().contains("--upload-id " + id), e.getMessage());
        assertTrue(e.getMessage().contains("lifecycle rule"), e.getMessage());
        assertFalse(e.getMessage().contains("nothing was stored"), e.getMessage());
        assertEquals(CleanupRequests.ATTEMPTS * S3Clients.MAX_ATTEMPTS, server.faults().aborts(),
                "three attempts, each with the SDK's retries");
        List<MultipartUpload> open = s3.listMultipartUploads(b -> b.bucket(bucket)).uploads();
        assertEquals(List.of("stuck.dump " + id), open.stream().map(u -> u.key() + " " + u.uploadId()).toList(),
                "what the message says is open is open");
    }

    @Test
    void anAbortThatFailsOnceIsRetriedAndThenSaysAborted() {
        server.faults().failAborts(S3Clients.MAX_ATTEMPTS); // the first attempt, with all the SDK's retries
        Stopper stopper = new Stopper(At.SECOND_PART);

        InterruptedException e = stoppedUpload(stopper, "retried.dump");

        assertTrue(e.getMessage().endsWith("the multipart upload was aborted; nothing was stored"), e.getMessage());
        assertEquals(S3Clients.MAX_ATTEMPTS + 1, server.faults().aborts());
        assertNothingLeft("retried.dump");
    }

    @Test
    void anUploadWhoseCreateAnswerWasLostIsFoundAndAborted() throws Exception {
        ExecutionInterceptor loseCreateAnswer = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                SdkRequest request = context.request();
                if (request instanceof CreateMultipartUploadRequest) {
                    throw SdkClientException.create("Injected: the answer to CreateMultipartUpload was lost");
                }
            }
        };
        try (S3Client losing = S3Clients.create(server.settings(bucket, ""),
                b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(loseCreateAnswer)))) {
            StreamingUploader up = new StreamingUploader(losing, bucket).withPartSize(PART);

            StorageException e = assertThrows(StorageException.class,
                    () -> up.upload(TestStreams.random(2L * PART, 22), "lost.dump", metadata(), p -> {}));

            assertTrue(e.getMessage().endsWith("the multipart upload was aborted; nothing was stored"),
                    e.getMessage());
        }
        assertNothingLeft("lost.dump");
    }

    @Test
    void aRefusedCreateCreatedNothingAndSaysSo() {
        StreamingUploader up = new StreamingUploader(s3, "no-such-bucket-" + bucket).withPartSize(PART);

        StorageException e = assertThrows(StorageException.class,
                () -> up.upload(TestStreams.random(2L * PART, 23), "refused.dump", metadata(), p -> {}));

        assertTrue(e.getMessage().endsWith("; nothing was stored"), e.getMessage());
        assertFalse(e.getMessage().contains("aborted"), e.getMessage());
    }

    private void assertNothingLeft(String key) {
        assertEquals(Collections.emptyList(), s3.listMultipartUploads(b -> b.bucket(bucket)).uploads(),
                "open multipart uploads");
        List<String> raw = server.rawBlobNames(bucket);
        raw.removeIf(name -> !name.startsWith(".mpus-") && !name.matches("[0-9a-f-]{36}"));
        assertEquals(Collections.emptyList(), raw, "parts and upload stubs below the S3 API");
        assertEquals(Collections.emptyList(), s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                .map(o -> o.key()).toList(), "no object and no manifest for " + key);
    }
}
