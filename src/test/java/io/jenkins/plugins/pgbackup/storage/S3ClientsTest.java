package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ClientsTest {
    private static final BackupMetadata METADATA =
            BackupMetadata.builder("db", Instant.parse("2025-11-17T15:04:05Z")).build();

    /** Records the HTTP requests the SDK sends, as they leave for the server. */
    private static final class Recorder implements ExecutionInterceptor {
        final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            requests.add(context.httpRequest());
        }

        List<SdkHttpRequest> uploads() {
            return requests.stream().filter(r -> r.method().name().equals("PUT")).toList();
        }
    }

    private static StorageSettings r2(S3ProxyServer server, String bucket) {
        return StorageSettings.builder(StorageSettings.Provider.CLOUDFLARE_R2).endpoint(server.endpoint().toString())
                .bucket(bucket).credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY).build();
    }

    @Test
    void r2ClientsComputeAndValidateChecksumsOnlyWhenRequired() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.inMemory(); S3Client client = S3Clients.create(r2(server, "b"))) {
            assertEquals(RequestChecksumCalculation.WHEN_REQUIRED,
                    client.serviceClientConfiguration().requestChecksumCalculation());
            assertEquals(ResponseChecksumValidation.WHEN_REQUIRED,
                    client.serviceClientConfiguration().responseChecksumValidation());
            assertEquals(Region.of("auto"), client.serviceClientConfiguration().region());
        }
    }

    @Test
    void amazonS3ClientsKeepTheSdkDefaultChecksums() {
        StorageSettings s3Settings = StorageSettings.builder(StorageSettings.Provider.AMAZON_S3).bucket("b")
                .region("eu-west-1").credentials("AKIDEXAMPLE", "secret").build();
        try (S3Client client = S3Clients.create(s3Settings)) {
            assertEquals(RequestChecksumCalculation.WHEN_SUPPORTED,
                    client.serviceClientConfiguration().requestChecksumCalculation());
            assertEquals(Region.EU_WEST_1, client.serviceClientConfiguration().region());
        }
    }

    @Test
    void r2ModeUploadsPartsAsPlainBodiesWithoutChecksumTrailers() throws Exception {
        Recorder recorder = new Recorder();
        try (S3ProxyServer server = S3ProxyServer.inMemory()) {
            String bucket = server.createBucket();
            try (S3Client client = S3Clients.create(r2(server, bucket),
                    b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(recorder)))) {
                new StreamingUploader(client, bucket).withPartSize(StreamingUploader.MIN_PART_SIZE)
                        .upload(TestStreams.random(2L * StreamingUploader.MIN_PART_SIZE + 1, 1), "r2.dump",
                                METADATA, p -> {});
            }
        }

        List<SdkHttpRequest> uploads = recorder.uploads();
        assertEquals(4, uploads.size(), "three parts and the metadata copy");
        for (SdkHttpRequest r : uploads) {
            Map<String, List<String>> h = lowerCase(r.headers());
            assertFalse(h.containsKey("x-amz-trailer"), h.toString());
            assertFalse(h.containsKey("x-amz-sdk-checksum-algorithm"), h.toString());
            assertFalse(h.keySet().stream().anyMatch(k -> k.startsWith("x-amz-checksum-")), h.toString());
            assertFalse(String.valueOf(h.get("content-encoding")).contains("aws-chunked"), h.toString());
            assertFalse(String.valueOf(h.get("x-amz-content-sha256")).startsWith("[STREAMING"), h.toString());
        }
    }

    @Test
    void sdkDefaultsSendChecksumTrailersThatR2ModeLeavesOut() throws Exception {
        Recorder recorder = new Recorder();
        try (S3ProxyServer server = S3ProxyServer.inMemory()) {
            String bucket = server.createBucket();
            StorageSettings defaults = r2(server, bucket).toBuilder().checksumWhenRequired(false).build();
            try (S3Client client = S3Clients.create(defaults,
                    b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(recorder)))) {
                try {
                    client.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("hello"));
                } catch (S3Exception e) {
                    // what S3Proxy makes of it does not matter here, only what was sent
                }
            }
        }

        Map<String, List<String>> h = lowerCase(recorder.uploads().get(0).headers());
        assertTrue(h.containsKey("x-amz-sdk-checksum-algorithm") || h.containsKey("x-amz-trailer")
                || h.keySet().stream().anyMatch(k -> k.startsWith("x-amz-checksum-")), h.toString());
    }

    @Test
    void aServerThatRefusesUnknownHeadersAcceptsR2ModeButNotTheSdkDefaults() throws Exception {
        try (S3ProxyServer strict = S3ProxyServer.strictHeaders()) {
            String bucket = strict.createBucket();
            StorageSettings compatible = r2(strict, bucket);
            StorageSettings defaults = compatible.toBuilder().checksumWhenRequired(false).build();

            try (S3Client client = S3Clients.create(defaults)) {
                assertThrows(S3Exception.class,
                        () -> client.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("hello")));
            }
            try (S3Client client = S3Clients.create(compatible)) {
                UploadResult r = new StreamingUploader(client, bucket).withPartSize(StreamingUploader.MIN_PART_SIZE)
                        .upload(TestStreams.random(StreamingUploader.MIN_PART_SIZE + 10, 2), "ok.dump", METADATA,
                                p -> {});
                assertEquals(2, r.getParts());
            }
        }
    }

    @Test
    void r2ModeSendsContentMd5WithDeleteObjects() throws Exception {
        Recorder recorder = new Recorder();
        try (S3ProxyServer server = S3ProxyServer.inMemory()) {
            String bucket = server.createBucket();
            StorageSettings settings = r2(server, bucket);
            try (S3Client client = S3Clients.create(settings,
                    b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(recorder)))) {
                client.putObject(b -> b.bucket(bucket).key("a/k"), RequestBody.fromString("x"));
                assertTrue(new BackupCatalog(client, settings).delete(List.of("a/k")).isComplete());
            }
        }

        SdkHttpRequest delete = recorder.requests.stream()
                .filter(r -> r.getUri().getRawQuery() != null && r.getUri().getRawQuery().contains("delete"))
                .findFirst().orElseThrow();
        assertTrue(lowerCase(delete.headers()).containsKey("content-md5"), delete.headers().toString());
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> m = new java.util.TreeMap<>();
        headers.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        return m;
    }
}
