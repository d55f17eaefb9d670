package io.jenkins.plugins.pgbackup.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.ManifestStore;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
import io.jenkins.plugins.pgbackup.testing.BackupSeeder;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The controller's grant against a real S3 API server (S3Proxy, which checks SigV4 signatures, the presigned ones in
 * the query string included): what it refuses on the agent's behalf, what its URLs are valid for, and what it cleans
 * up when the agent is gone.
 */
class BackupSignerTest {
    private static final String DB = "orders";
    private static final String PREFIX = "signed";

    private static S3ProxyServer s3;
    private static String bucket;
    private static StorageSettings settings;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BackupSigner signer;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.inMemory();
        bucket = s3.createBucket();
        settings = s3.settings(bucket, PREFIX);
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @AfterEach
    void finish() {
        if (signer != null) {
            signer.finish();
        }
    }

    private BackupSigner signer(Duration urlLifetime) {
        signer = new BackupSigner(settings, DB, urlLifetime);
        return signer;
    }

    private static String newKey(String database) {
        return BackupKeys.key(PREFIX, database, Instant.now().truncatedTo(ChronoUnit.SECONDS)
                .plusSeconds((long) (Math.random() * 1_000_000)), "dump");
    }

    private static BackupMetadata metadata(String database) {
        return BackupMetadata.builder(database, Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .backupBy("BackupSignerTest").postgresVersion("17")
                .dumpFormat("custom").pgDumpVersion("17.6").compression("none").build();
    }

    private static HttpResponse<String> put(String url, byte[] body) throws Exception {
        byte[] md5 = MessageDigest.getInstance("MD5").digest(body);
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-MD5",
                Base64.getEncoder().encodeToString(md5)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> openUploads() {
        return s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix(PREFIX + "/")).uploads().stream()
                .map(MultipartUpload::uploadId).toList();
    }

    private static List<String> objects() {
        return s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(PREFIX + "/")).contents().stream()
                .map(S3Object::key).toList();
    }

    @Test
    void aKeyOfAnotherDatabaseOrOutsideThePrefixIsRefused() {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);

        StorageException other = assertThrows(StorageException.class, () -> g.requireAbsent(newKey("payroll")));
        assertTrue(other.getMessage().startsWith("The controller refused: "), other.getMessage());
        assertThrows(StorageException.class, () -> g.requireAbsent("elsewhere/orders/orders_20250101_000000.dump"));
        assertThrows(StorageException.class, () -> g.requireAbsent(PREFIX + "/orders/notes.txt"));
        assertThrows(StorageException.class, () -> g.requireAbsent(PREFIX + "/orders/sub/orders_20250101_000000.dump"));
    }

    @Test
    void anExistingKeyIsRefusedAndNoUploadStartsWithoutTheCheck() {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);
        String existing = BackupSeeder.putBackup(s3.client(), bucket, PREFIX, DB,
                Instant.parse("2025-03-01T10:00:00Z"));

        StorageException e = assertThrows(StorageException.class, () -> g.requireAbsent(existing));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertThrows(StorageException.class, () -> g.createUpload(existing, metadata(DB)));
        assertThrows(StorageException.class, () -> g.createUpload(newKey(DB), metadata(DB)), "not checked first");
    }

    @Test
    void aGrantClaimsOnlyAFewKeys() throws Exception {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);
        for (int i = 0; i < BackupSigner.MAX_KEYS; i++) {
            g.requireAbsent(newKey(DB));
        }

        StorageException e = assertThrows(StorageException.class, () -> g.requireAbsent(newKey(DB)));
        assertTrue(e.getMessage().contains("no more keys"), e.getMessage());
    }

    @Test
    void anUploadMustCarryItsOwnDatabasesMetadata() throws Exception {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);
        String key = newKey(DB);
        g.requireAbsent(key);

        StorageException e = assertThrows(StorageException.class, () -> g.createUpload(key, metadata("payroll")));
        assertTrue(e.getMessage().contains("payroll"), e.getMessage());
        assertEquals(List.of(), openUploads());
    }

    @Test
    void objectsItDidNotCreateCannotBeDeletedReadOrDescribed() throws Exception {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);
        String existing = BackupSeeder.putBackup(s3.client(), bucket, PREFIX, DB,
                Instant.parse("2025-03-02T10:00:00Z"));

        assertThrows(StorageException.class, () -> g.delete(existing, Duration.ofSeconds(10)));
        assertThrows(StorageException.class, () -> g.delete(BackupKeys.manifestKey(existing), Duration.ofSeconds(10)));
        assertThrows(StorageException.class, () -> g.deleteStored(existing));
        assertThrows(StorageException.class, () -> g.head(existing));
        BackupManifest forged = new ManifestStore(s3.client(), bucket).read(existing).orElseThrow();
        assertThrows(StorageException.class, () -> g.writeManifest(forged));
        assertTrue(objects().contains(existing));
        assertTrue(objects().contains(BackupKeys.manifestKey(existing)));
    }

    @Test
    void partUrlsAreOnlyForItsOwnUploadsAndInBoundedBatches() throws Exception {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);
        String foreignKey = newKey(DB);
        String foreignId = s3.client().createMultipartUpload(b -> b.bucket(bucket).key(foreignKey)).uploadId();
        try {
            assertThrows(StorageException.class, () -> g.partUrls(foreignKey, foreignId, 1, 1));
            assertThrows(StorageException.class, () -> g.abort(foreignKey, foreignId, Duration.ofSeconds(5)));
            assertThrows(StorageException.class, () -> g.complete(foreignKey, foreignId, List.of()));

            String key = newKey(DB);
            g.requireAbsent(key);
            String id = g.createUpload(key, metadata(DB));
            assertEquals(BackupGrant.MAX_URLS_PER_CALL, g.partUrls(key, id, 1, BackupGrant.MAX_URLS_PER_CALL).size());
            assertThrows(StorageException.class, () -> g.partUrls(key, id, 1, BackupGrant.MAX_URLS_PER_CALL + 1));
            assertThrows(StorageException.class, () -> g.partUrls(key, id, StreamingUploader.MAX_PARTS, 2));
            assertThrows(StorageException.class, () -> g.partUrls(foreignKey, id, 1, 1), "the id with another key");
            PartUrl url = g.partUrls(key, id, 3, 1).get(0);
            assertEquals(3, url.partNumber());
            assertFalse(url.toString().contains("Signature"), "toString shows no credential");
            assertFalse(url.url().contains(S3ProxyServer.SECRET_KEY), "a URL never holds the secret key");
            assertTrue(url.url().contains("X-Amz-Credential=" + S3ProxyServer.ACCESS_KEY + "%2F"),
                    "it names the access key id, as every SigV4 presigned URL does");
            assertEquals(Map.of(), url.headers(), "nothing to send but the URL");
            assertFalse(url.url().toLowerCase(java.util.Locale.ROOT).contains("checksum"),
                    "no checksum header the agent would have to send");
        } finally {
            s3.client().abortMultipartUpload(b -> b.bucket(bucket).key(foreignKey).uploadId(foreignId));
        }
    }

    @Test
    void aPresignedPartUrlIsValidForItsPartKeyAndUploadOnly() throws Exception {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);
        String key = newKey(DB);
        g.requireAbsent(key);
        String id = g.createUpload(key, metadata(DB));
        String url = g.partUrls(key, id, 1, 1).get(0).url();
        byte[] part = bytes(1024, 7);

        assertEquals(403, put(url.replace("partNumber=1", "partNumber=2"), part).statusCode(), "another part");
        String otherKey = newKey(DB);
        assertEquals(403, put(url.replace(key, otherKey), part).statusCode(), "another key");
        assertEquals(403, put(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"), part).statusCode());
        HttpResponse<String> ok = put(url, part);
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.headers().firstValue("ETag").isPresent());
        assertEquals(List.of(), s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(otherKey)).contents());
    }

    @Test
    void aPartThatArrivesCorruptedIsRejectedByItsContentMd5() throws Exception {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);
        String key = newKey(DB);
        g.requireAbsent(key);
        String id = g.createUpload(key, metadata(DB));
        String url = g.partUrls(key, id, 1, 1).get(0).url();
        byte[] part = bytes(1024, 8);
        String wrongMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1]));

        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-MD5", wrongMd5)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(part)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("BadDigest"), r.body());
    }

    @Test
    void anExpiredUrlIsRefused() throws Exception {
        BackupSigner g = signer(Duration.ofSeconds(1));
        String key = newKey(DB);
        g.requireAbsent(key);
        String id = g.createUpload(key, metadata(DB));
        String url = g.partUrls(key, id, 1, 1).get(0).url();
        Thread.sleep(2500);

        assertEquals(403, put(url, bytes(1024, 9)).statusCode());
    }

    /**
     * Amazon S3 answers a part for a completed upload with 404 NoSuchUpload. S3Proxy 3.0.0 accepts it (200) and keeps
     * the part aside; either way the completed object stays as it was, and the grant hands out no more URLs for it.
     */
    @Test
    void aLatePartDoesNotChangeTheCompletedObjectAndNoMoreUrlsAreGiven() throws Exception {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);
        String key = newKey(DB);
        g.requireAbsent(key);
        String id = g.createUpload(key, metadata(DB));
        List<PartUrl> urls = g.partUrls(key, id, 1, 2);
        byte[] content = bytes(1000, 1);
        HttpResponse<String> first = put(urls.get(0).url(), content);
        g.complete(key, id, List.of(new io.jenkins.plugins.pgbackup.storage.UploadedPart(1,
                first.headers().firstValue("ETag").orElseThrow())));

        put(urls.get(1).url(), bytes(1000, 2));

        assertArrayEquals(content, s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        assertThrows(StorageException.class, () -> g.partUrls(key, id, 3, 1));
    }

    @Test
    void aManifestThatDoesNotDescribeTheObjectIsNotWritten() throws Exception {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);
        String key = newKey(DB);
        g.requireAbsent(key);
        BackupMetadata m = metadata(DB);
        String id = g.createUpload(key, m);
        HttpResponse<String> part = put(g.partUrls(key, id, 1, 1).get(0).url(), bytes(2000, 3));
        g.complete(key, id, List.of(new io.jenkins.plugins.pgbackup.storage.UploadedPart(1,
                part.headers().firstValue("ETag").orElseThrow())));
        String eTag = g.head(key).eTag();

        BackupManifest lying = BackupManifest.builder(key, m, 999, "00".repeat(32), eTag).parts(1, 5 << 20)
                .upload(Instant.now(), Instant.now()).build();
        StorageException e = assertThrows(StorageException.class, () -> g.writeManifest(lying));
        assertTrue(e.getMessage().contains("does not describe"), e.getMessage());
        BackupManifest honest = BackupManifest.builder(key, m, 2000, "00".repeat(32), eTag).parts(1, 5 << 20)
                .upload(Instant.now(), Instant.now()).build();
        assertEquals(BackupKeys.manifestKey(key), g.writeManifest(honest));
    }

    @Test
    void finishingAbortsWhatTheAgentLeftOpenAndDeletesObjectsWithoutManifest() throws Exception {
        BackupSigner g = signer(BackupSigner.URL_LIFETIME);
        String open = newKey(DB);
        g.requireAbsent(open);
        String openId = g.createUpload(open, metadata(DB));
        assertEquals(200, put(g.partUrls(open, openId, 1, 1).get(0).url(), bytes(500, 4))
                .statusCode());
        String unfinished = newKey(DB);
        g.requireAbsent(unfinished);
        String id = g.createUpload(unfinished, metadata(DB));
        HttpResponse<String> part = put(g.partUrls(unfinished, id, 1, 1).get(0).url(), bytes(500, 5));
        g.complete(unfinished, id, List.of(new io.jenkins.plugins.pgbackup.storage.UploadedPart(1,
                part.headers().firstValue("ETag").orElseThrow())));
        assertTrue(openUploads().contains(openId));

        List<String> report = g.finish();

        assertEquals(2, report.size(), report.toString());
        assertFalse(openUploads().contains(openId));
        assertFalse(objects().contains(unfinished));
        assertThrows(StorageException.class, () -> g.requireAbsent(newKey(DB)), "the grant has ended");
    }

    @Test
    void theAgentsSettingsHoldNoKeys() {
        StorageSettings agent = signer(BackupSigner.URL_LIFETIME).agentSettings();

        assertTrue(agent.isKeysElsewhere());
        assertEquals("", agent.getAccessKeyId());
        assertEquals("", agent.getSecretKey());
        assertEquals(settings.location(), agent.location());
        assertThrows(IllegalStateException.class, () -> io.jenkins.plugins.pgbackup.storage.S3Clients.create(agent));
    }

    private static byte[] bytes(int size, long seed) throws java.io.IOException {
        return TestStreams.random(size, seed).readAllBytes();
    }
}
