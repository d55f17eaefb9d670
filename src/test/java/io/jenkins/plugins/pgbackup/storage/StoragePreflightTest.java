package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The check before a backup or restore, against a real S3 API (S3Proxy), a closed port and a missing bucket. */
class StoragePreflightTest {
    /** A Java class name such as {@code software.amazon.awssdk.core.exception.SdkClientException}. */
    static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z]\\w*");

    private static S3ProxyServer s3;
    private static String bucket;

    @BeforeAll
    static void startStorage() throws Exception {
        s3 = S3ProxyServer.inMemory();
        bucket = s3.createBucket();
    }

    @AfterAll
    static void stopStorage() throws Exception {
        s3.close();
    }

    @Test
    void aWritableBucketPassesAndTheProbeLeavesNothingBehind() {
        StoragePreflight p = new StoragePreflight(s3.settings(bucket, "preflight"));
        assertDoesNotThrow(p::checkWritable);
        assertDoesNotThrow(p::checkReadable);
        assertTrue(s3.client().listObjectsV2(b -> b.bucket(bucket)).contents().isEmpty(), "no object");
        assertTrue(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty(), "no open upload");
    }

    @Test
    void aClosedPortFailsInSecondsWithTheEndpointAndTheReasonFirst() throws Exception {
        String endpoint = "http://127.0.0.1:" + closedPort();
        StorageSettings settings = s3.settings(bucket, "").toBuilder().endpoint(endpoint).build();
        for (Executable check : new Executable[] {
                () -> new StoragePreflight(settings).checkWritable(),
                () -> new StoragePreflight(settings).checkReadable()}) {
            long start = System.nanoTime();
            StorageException e = assertThrows(StorageException.class, check);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(e.getMessage().startsWith("Cannot reach the S3 endpoint " + endpoint + ": connection refused"),
                    e.getMessage());
            assertFalse(CLASS_NAME.matcher(e.getMessage()).find(), e.getMessage());
            assertTrue(millis < 5000, "took " + millis + " ms");
        }
    }

    @Test
    void aMissingBucketIsNamed() {
        StorageSettings settings = s3.settings("no-such-bucket-here", "");
        StorageException w = assertThrows(StorageException.class, () -> new StoragePreflight(settings).checkWritable());
        assertTrue(w.getMessage().startsWith("Bucket no-such-bucket-here does not exist at " + s3.endpoint()),
                w.getMessage());
        StorageException r = assertThrows(StorageException.class, () -> new StoragePreflight(settings).checkReadable());
        assertTrue(r.getMessage().startsWith("Bucket no-such-bucket-here does not exist"), r.getMessage());
        assertFalse(CLASS_NAME.matcher(w.getMessage() + r.getMessage()).find());
    }

    @Test
    void wrongCredentialsAreCalledSo() {
        StorageSettings settings = s3.settings(bucket, "").toBuilder()
                .credentials(S3ProxyServer.ACCESS_KEY, "not-the-secret").build();
        StorageException e = assertThrows(StorageException.class, () -> new StoragePreflight(settings).checkWritable());
        assertTrue(e.getMessage().startsWith("The S3 endpoint " + s3.endpoint() + " refused the storage credentials"),
                e.getMessage());
        assertFalse(e.getMessage().contains("not-the-secret"), e.getMessage());
    }

    @Test
    void anUnknownHostIsNamed() {
        StorageSettings settings = s3.settings(bucket, "").toBuilder().endpoint("http://pgbackup-test.invalid:9000")
                .build();
        StorageException e = assertThrows(StorageException.class, () -> new StoragePreflight(settings).checkReadable());
        assertTrue(e.getMessage().startsWith("Unknown host pgbackup-test.invalid of the S3 endpoint "
                + "http://pgbackup-test.invalid:9000"), e.getMessage());
    }

    @Test
    void anInterruptedCheckIsAnInterruption() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class,
                    () -> new StoragePreflight(s3.settings(bucket, "")).checkWritable());
        } finally {
            Thread.interrupted();
        }
    }

    /** A port nothing listens on: bound, then released. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
