package io.jenkins.plugins.pgbackup.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.ManifestStore;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import io.jenkins.plugins.pgbackup.testing.LoopbackGrant;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The uploader over presigned part URLs and the controller's grant, without PostgreSQL: objects of one part and of
 * several, and parts that storage keeps refusing (S3Proxy answering 500).
 */
class SignedUploadTargetTest {
    private static final String DB = "ledger";
    private static final int PART = StreamingUploader.MIN_PART_SIZE;

    private static S3ProxyServer s3;
    private static String bucket;
    private BackupSigner signer;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.inMemory();
        bucket = s3.createBucket();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @AfterEach
    void finish() {
        s3.faults().reset();
        if (signer != null) {
            signer.finish();
        }
    }

    private StreamingUploader uploader(String prefix) {
        signer = new BackupSigner(s3.settings(bucket, prefix), DB);
        return new StreamingUploader(new SignedUploadTarget(LoopbackGrant.export(signer), bucket)).withPartSize(PART);
    }

    private static String key(String prefix) {
        return BackupKeys.key(prefix, DB, Instant.parse("2026-02-03T04:05:06Z"), "dump");
    }

    private static BackupMetadata metadata() {
        return BackupMetadata.builder(DB, Instant.parse("2026-02-03T04:05:06Z").truncatedTo(ChronoUnit.SECONDS))
                .backupBy("SignedUploadTargetTest").postgresVersion("17").dumpFormat("custom").pgDumpVersion("17.6")
                .compression("none").build();
    }

    private static List<String> objects(String prefix) {
        return s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(prefix + "/")).contents().stream()
                .map(S3Object::key).toList();
    }

    @Test
    void anObjectSmallerThanOnePartIsAMultipartUploadOfOnePart() throws Exception {
        UploadResult r = uploader("small").upload(TestStreams.random(1000, 1), key("small"), metadata(), n -> {});

        assertEquals(1000, r.getSize());
        assertEquals(1, r.getParts());
        assertTrue(r.getETag().contains("-1"), "a multipart ETag: " + r.getETag());
        assertEquals(TestStreams.sha256(1000, 1), r.getSha256());
        BackupManifest m = new ManifestStore(s3.client(), bucket).read(key("small")).orElseThrow();
        assertEquals(1000, m.getSize());
        assertEquals(DB, BackupMetadata.fromUserMetadata(s3.client().headObject(b -> b.bucket(bucket)
                .key(key("small"))).metadata()).getDatabase(), "the controller set the metadata");
    }

    @Test
    void severalPartsStoreExactlyWhatWasRead() throws Exception {
        long size = 3L * PART + 12345;

        UploadResult r = uploader("several").upload(TestStreams.random(size, 2), key("several"), metadata(), n -> {});

        assertEquals(4, r.getParts());
        assertEquals(size, r.getSize());
        assertEquals(TestStreams.sha256(size, 2), TestStreams.sha256(s3.client().getObject(b -> b.bucket(bucket)
                .key(key("several")))));
        assertEquals(List.of(key("several"), BackupKeys.manifestKey(key("several"))), objects("several"));
    }

    @Test
    void partsThatMeetServerErrorsAreRetried() throws Exception {
        s3.faults().failNextPartUploadsWithServerError(2);
        long size = 2L * PART + 1;

        UploadResult r = uploader("retried").upload(TestStreams.random(size, 4), key("retried"), metadata(), n -> {});

        assertEquals(size, r.getSize());
        assertEquals(3 + 2, s3.faults().partUploads(), "three parts, two of them twice");
        assertEquals(TestStreams.sha256(size, 4), TestStreams.sha256(s3.client().getObject(b -> b.bucket(bucket)
                .key(key("retried")))));
    }

    @Test
    void aPartStorageRefusesFailsTheUploadAndItIsAborted() throws Exception {
        s3.faults().failPartUploadsAfter(1);

        StorageException e = assertThrows(StorageException.class, () -> uploader("refused")
                .upload(TestStreams.random(3L * PART, 3), key("refused"), metadata(), n -> {}));

        assertTrue(e.getMessage().contains("Uploading part 2 of s3://" + bucket + "/" + key("refused")
                + " failed: HTTP 400"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the multipart upload was aborted; nothing was stored"), e.getMessage());
        assertEquals(List.of(), s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix("refused/"))
                .uploads());
        assertEquals(List.of(), objects("refused"));
        assertEquals(List.of(), signer.finish(), "the agent's own cleanup left nothing");
    }
}
