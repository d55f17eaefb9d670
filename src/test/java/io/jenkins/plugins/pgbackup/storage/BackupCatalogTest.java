package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.testing.BackupSeeder;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class BackupCatalogTest {
    private static final Instant NOW = Instant.parse("2025-11-17T15:04:05Z");

    private static S3ProxyServer server;
    private S3Client s3;
    private String bucket;
    private BackupCatalog catalog;

    @TempDir
    Path tmp;

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
        catalog = new BackupCatalog(s3, server.settings(bucket, "/backups/prod/"));
    }

    @AfterEach
    void resetFaults() {
        server.faults().reset();
    }

    private UploadResult upload(String database, Instant when, long size, long seed) throws Exception {
        String key = BackupKeys.key("backups/prod", database, when, "dump");
        BackupMetadata m = BackupMetadata.builder(database, when).postgresVersion("16").dumpFormat("custom").build();
        return new StreamingUploader(s3, bucket).withPartSize(StreamingUploader.MIN_PART_SIZE)
                .upload(TestStreams.random(size, seed), key, m, p -> {});
    }

    @Test
    void listsMoreThanAThousandBackupsAcrossPagesAndSkipsForeignObjects() throws Exception {
        List<String> alpha = BackupSeeder.putBackups(s3, bucket, "backups/prod", "alpha", NOW, Duration.ofHours(1),
                1050);
        List<String> beta = BackupSeeder.putBackups(s3, bucket, "backups/prod", "beta", NOW, Duration.ofDays(1), 60,
                BackupSeeder.Layout.LEGACY);
        // foreign: the right key shape without the marker, the marker without a sha256 (an unfinished upload),
        // another file, and a backup outside the prefix
        BackupSeeder.putForeign(s3, bucket, "backups/prod/alpha/alpha_20250101_000000.dump",
                Map.of("database", "alpha", "timestamp", "20250101_000000"));
        BackupSeeder.putForeign(s3, bucket, "backups/prod/alpha/alpha_20250102_000000.dump",
                Map.of("created-by", "jenkins-postgresql-backup", "database", "alpha", "timestamp", "20250102_000000"));
        BackupSeeder.putForeign(s3, bucket, "backups/prod/alpha/README.txt", Map.of());
        BackupSeeder.putBackup(s3, bucket, "backups/staging", "alpha", NOW);

        List<BackupObject> listedAlpha = catalog.list("alpha");
        List<BackupObject> listedAll = catalog.list(null);

        assertEquals(new HashSet<>(alpha), keys(listedAlpha));
        Set<String> both = new HashSet<>(alpha);
        both.addAll(beta);
        assertEquals(both, keys(listedAll));
        for (int i = 1; i < listedAlpha.size(); i++) {
            assertTrue(listedAlpha.get(i - 1).getMetadata().getTimestamp()
                    .isAfter(listedAlpha.get(i).getMetadata().getTimestamp()), "newest first");
        }
    }

    @Test
    void latestGoesByTheTimestampMetadataNotLastModifiedNorTheKey() throws Exception {
        // written first, newest by metadata, but its key names an older time
        String newest = "backups/prod/alpha/alpha_20250101_000000.dump";
        BackupSeeder.putBackupAt(s3, bucket, newest, "alpha", NOW);
        Thread.sleep(1100);
        String older = BackupSeeder.putBackup(s3, bucket, "backups/prod", "alpha", NOW.minus(Duration.ofDays(1)));
        HeadObjectResponse first = s3.headObject(b -> b.bucket(bucket).key(newest));
        HeadObjectResponse second = s3.headObject(b -> b.bucket(bucket).key(older));
        assertTrue(second.lastModified().isAfter(first.lastModified()), "precondition: LastModified disagrees");
        assertTrue(older.compareTo(newest) > 0, "precondition: key order disagrees");

        assertEquals(newest, catalog.latest("alpha").orElseThrow().getKey());
    }

    @Test
    void latestOnlyConsidersThatDatabase() throws Exception {
        BackupSeeder.putBackup(s3, bucket, "backups/prod", "prod", NOW.minus(Duration.ofDays(2)));
        BackupSeeder.putBackup(s3, bucket, "backups/prod", "prod2", NOW);
        BackupSeeder.putBackup(s3, bucket, "backups/prod", "my db", NOW.minus(Duration.ofDays(3)));
        BackupSeeder.putBackup(s3, bucket, "backups/prod", "my_db", NOW.minus(Duration.ofDays(1)));

        assertEquals("prod", catalog.latest("prod").orElseThrow().getMetadata().getDatabase());
        assertEquals("my db", catalog.latest("my db").orElseThrow().getMetadata().getDatabase());
        assertEquals("my_db", catalog.latest("my_db").orElseThrow().getMetadata().getDatabase());
        assertTrue(catalog.latest("nobody").isEmpty());
    }

    @Test
    void keysOfOddDatabaseNamesAreSafeAndTheRealNameComesBack() throws Exception {
        String odd = "données/prod ü 🐘 \"x\"";
        UploadResult r = upload(odd, NOW, 1000, 1);

        assertTrue(r.getKey().matches("backups/prod/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+_20251117_150405\\.dump"),
                r.getKey());
        BackupObject b = catalog.latest(odd).orElseThrow();
        assertEquals(r.getKey(), b.getKey());
        assertEquals(odd, b.getMetadata().getDatabase());
        assertEquals(odd, catalog.head(r.getKey()).getMetadata().getDatabase());
    }

    @Test
    void headSaysThereIsNoBackupAtAMissingKey() {
        StorageException e = assertThrows(StorageException.class, () -> catalog.head("backups/prod/x/nothing.dump"));

        assertTrue(e.getMessage().startsWith("No backup at s3://" + bucket + "/backups/prod/x/nothing.dump"),
                e.getMessage());
    }

    @Test
    void headRefusesAnObjectThePluginDidNotWrite() {
        BackupSeeder.putForeign(s3, bucket, "backups/prod/a/a_20250101_000000.dump", Map.of("database", "a"));

        StorageException e = assertThrows(StorageException.class,
                () -> catalog.head("backups/prod/a/a_20250101_000000.dump"));

        assertTrue(e.getMessage().contains("not written by PostgreSQL Backup"), e.getMessage());
    }

    @Test
    void downloadsAndVerifiesABackup() throws Exception {
        UploadResult r = upload("alpha", NOW, 2L * StreamingUploader.MIN_PART_SIZE + 3, 2);
        Path target = tmp.resolve("alpha.dump");

        BackupObject b = catalog.download(r.getKey(), target);

        assertEquals(r.getSha256(), b.getMetadata().getSha256());
        try (InputStream in = Files.newInputStream(target)) {
            assertEquals(r.getSha256(), TestStreams.sha256(in));
        }
        assertEquals(List.of(target), filesIn(tmp));
        assertEquals(r.getSize(), catalog.verify(r.getKey()).getMetadata().getSize());
    }

    @Test
    void downloadRefusesAFlippedByteAndLeavesNoFile() throws Exception {
        UploadResult r = upload("alpha", NOW, 100_000, 3);
        byte[] content = read(r.getKey());
        content[50_000] ^= 0x01;
        rot(r.getKey(), content);
        Path target = tmp.resolve("alpha.dump");

        StorageException e = assertThrows(StorageException.class, () -> catalog.download(r.getKey(), target));

        assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains("its manifest records " + r.getSha256()), e.getMessage());
        assertEquals(List.of(), filesIn(tmp));
        assertThrows(StorageException.class, () -> catalog.verify(r.getKey()));
    }

    @Test
    void downloadRefusesATruncatedObjectAndLeavesNoFile() throws Exception {
        UploadResult r = upload("alpha", NOW, 100_000, 4);
        byte[] content = read(r.getKey());
        rot(r.getKey(), java.util.Arrays.copyOf(content, 99_000));

        StorageException e = assertThrows(StorageException.class,
                () -> catalog.download(r.getKey(), tmp.resolve("alpha.dump")));

        assertTrue(e.getMessage().contains("the object holds 99000 bytes, but its manifest records 100000"),
                e.getMessage());
        assertEquals(List.of(), filesIn(tmp));
    }

    @Test
    void aFirstLayoutBackupWithAFlippedByteOrCutShortIsRefused() throws Exception {
        String key = BackupSeeder.putLegacyBackup(s3, bucket, "backups/prod", "alpha", NOW);
        byte[] content = read(key);
        content[3] ^= 0x01;
        rewrite(key, content);

        StorageException corrupt = assertThrows(StorageException.class, () -> catalog.verify(key));
        assertTrue(corrupt.getMessage().contains("is corrupt") && corrupt.getMessage().contains("its metadata records"),
                corrupt.getMessage());

        rewrite(key, java.util.Arrays.copyOf(content, content.length - 1));
        StorageException truncated = assertThrows(StorageException.class, () -> catalog.verify(key));
        assertTrue(truncated.getMessage().contains("is truncated"), truncated.getMessage());
    }

    @Test
    void aManifestThatDisagreesWithItsObjectMakesItNoBackup() throws Exception {
        UploadResult sameSize = upload("alpha", NOW, 10_000, 8);
        UploadResult resized = upload("alpha", NOW.minusSeconds(60), 10_000, 9);
        UploadResult good = upload("alpha", NOW.minusSeconds(120), 10_000, 10);
        byte[] replaced = read(sameSize.getKey());
        replaced[0] ^= 0x01;
        rewrite(sameSize.getKey(), replaced); // the same size, another ETag
        rewrite(resized.getKey(), java.util.Arrays.copyOf(read(resized.getKey()), 9_000));

        StorageException e1 = assertThrows(StorageException.class, () -> catalog.head(sameSize.getKey()));
        StorageException e2 = assertThrows(StorageException.class, () -> catalog.head(resized.getKey()));

        assertTrue(e1.getMessage().contains("ETag") && e1.getMessage().contains("manifest records"), e1.getMessage());
        assertTrue(e2.getMessage().contains("the object holds 9000 bytes, but its manifest records 10000"),
                e2.getMessage());
        assertEquals(good.getKey(), catalog.latest("alpha").orElseThrow().getKey());
        CatalogInventory inventory = catalog.inventory("alpha");
        assertEquals(Set.of(sameSize.getKey(), resized.getKey()), inventory.getIgnored().keySet());
        assertEquals(List.of(), inventory.getUnfinished(), "a disagreeing backup is never cleaned up as unfinished");
    }

    @Test
    void aDumpWithoutManifestIsNeitherListedNorLatestButAnUnfinishedUpload() throws Exception {
        String complete = BackupSeeder.putBackup(s3, bucket, "backups/prod", "alpha", NOW.minus(Duration.ofDays(1)));
        String unfinished = BackupSeeder.putUnfinished(s3, bucket, "backups/prod", "alpha", NOW);

        assertEquals(complete, catalog.latest("alpha").orElseThrow().getKey());
        assertEquals(Set.of(complete), keys(catalog.list("alpha")));
        assertEquals(Set.of(unfinished), keys(catalog.inventory("alpha").getUnfinished()));
        StorageException e = assertThrows(StorageException.class, () -> catalog.head(unfinished));
        assertTrue(e.getMessage().contains("its upload never finished: there is no manifest"), e.getMessage());
    }

    @Test
    void aVerifyRecordIsNeitherABackupNorAnUnfinishedUploadNorAnOrphanManifest() throws Exception {
        String complete = BackupSeeder.putBackup(s3, bucket, "backups/prod", "alpha", NOW.minus(Duration.ofDays(1)));
        String record = BackupKeys.verifyRecordKey(complete);
        String lonely = BackupKeys.verifyRecordKey(BackupKeys.key("backups/prod", "alpha", NOW, "dump"));
        for (String k : List.of(record, lonely)) {
            s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString("{\"verify-version\":1}"));
        }

        CatalogScan scan = catalog.scan("alpha");
        CatalogInventory inventory = catalog.inventory("alpha");

        assertEquals(List.of(complete), scan.getDumps().stream().map(CatalogScan.Entry::getKey).toList());
        assertEquals(List.of(), scan.getOrphanManifests());
        assertEquals(Set.of(record, lonely), scan.getVerifyRecords());
        assertEquals(Set.of(complete), keys(inventory.getComplete()));
        assertEquals(List.of(), inventory.getUnfinished());
        assertEquals(List.of(), inventory.getOrphanManifests());
        assertEquals(Map.of(), inventory.getIgnored());
        assertEquals(Set.of(record, lonely), inventory.getVerifyRecords());
        assertEquals(complete, catalog.latest("alpha").orElseThrow().getKey());
    }

    @Test
    void backupsOfBothLayoutsAreListedAndOrderedTogether() throws Exception {
        String legacyNewest = BackupSeeder.putLegacyBackup(s3, bucket, "backups/prod", "alpha", NOW);
        String manifestOlder = BackupSeeder.putBackup(s3, bucket, "backups/prod", "alpha", NOW.minusSeconds(10));
        String legacyOldest = BackupSeeder.putLegacyBackup(s3, bucket, "backups/prod", "alpha", NOW.minusSeconds(20));

        List<BackupObject> listed = catalog.list("alpha");

        assertEquals(List.of(legacyNewest, manifestOlder, legacyOldest), listed.stream().map(BackupObject::getKey)
                .toList());
        assertEquals(List.of(BackupObject.Layout.OBJECT_METADATA, BackupObject.Layout.MANIFEST,
                BackupObject.Layout.OBJECT_METADATA), listed.stream().map(BackupObject::getLayout).toList());
        for (BackupObject b : listed) {
            assertEquals(b.getMetadata().getSize(), catalog.download(b.getKey(), tmp.resolve("x.dump"))
                    .getMetadata().getSize());
        }
    }

    @Test
    void scanIsOneListingThatReadsNothingAndListReadsOnlyManifestsAndManifestlessDumps() throws Exception {
        BackupSeeder.putBackups(s3, bucket, "backups/prod", "alpha", NOW, Duration.ofHours(1), 30);
        BackupSeeder.putBackups(s3, bucket, "backups/prod", "alpha", NOW.minus(Duration.ofDays(30)),
                Duration.ofHours(1), 5, BackupSeeder.Layout.LEGACY);
        String unfinished = BackupSeeder.putUnfinished(s3, bucket, "backups/prod", "alpha", NOW.plusSeconds(1));
        String orphan = BackupKeys.manifestKey(BackupKeys.key("backups/prod", "alpha", NOW.minus(Duration.ofDays(90)),
                "dump"));
        s3.putObject(b -> b.bucket(bucket).key(orphan), RequestBody.fromString("{}"));
        server.faults().reset();

        CatalogScan scan = catalog.scan("alpha");

        assertEquals(0, server.faults().reads(), "a scan only lists");
        assertEquals(36, scan.getDumps().size());
        assertEquals(30, scan.getDumps().stream().filter(CatalogScan.Entry::hasManifest).count());
        assertEquals(unfinished, scan.getDumps().get(0).getKey(), "by key, newest first");
        assertEquals(NOW.plusSeconds(1), scan.getDumps().get(0).getKeyTimestamp());
        assertEquals(List.of(orphan), scan.getOrphanManifests().stream().map(ListedObject::getKey).toList());

        List<BackupObject> listed = catalog.list("alpha");

        assertEquals(35, listed.size());
        assertEquals(30 + 6, server.faults().reads(), "a GET per manifest, a HEAD per dump without one");
    }

    @Test
    void deletingBackupsRemovesManifestAndDumpAndKeepsABackupWhoseManifestCannotGo() throws Exception {
        List<String> keys = BackupSeeder.putBackups(s3, bucket, "backups/prod", "alpha", NOW, Duration.ofDays(1), 4);
        String legacy = BackupSeeder.putLegacyBackup(s3, bucket, "backups/prod", "alpha", NOW.minus(Duration.ofDays(9)));
        server.faults().failDeleteBatchesContaining(BackupKeys.manifestKey(keys.get(1)));
        List<String> all = new ArrayList<>(List.of(keys.get(0), legacy));

        DeleteResult first = catalog.deleteBackups(all);
        DeleteResult second = catalog.deleteBackups(List.of(keys.get(1)));
        server.faults().reset();
        server.faults().undeletable(keys.get(2));
        DeleteResult third = catalog.deleteBackups(List.of(keys.get(2)));

        assertEquals(List.of(keys.get(0), legacy), first.getDeleted());
        assertEquals(Set.of(keys.get(1)), second.getFailed().keySet());
        assertTrue(second.getFailed().get(keys.get(1)).contains("its manifest could not be deleted"),
                second.getFailed().toString());
        assertEquals(Set.of(keys.get(2)), third.getFailed().keySet());
        assertTrue(third.getFailed().get(keys.get(2)).contains("its manifest was deleted"), third.toString());
        assertEquals(Set.of(keys.get(1), keys.get(3)), keys(catalog.list("alpha")));
        assertEquals(Set.of(keys.get(2)), keys(catalog.inventory("alpha").getUnfinished()));
        Set<String> left = new HashSet<>();
        s3.listObjectsV2(b -> b.bucket(bucket)).contents().forEach(o -> left.add(o.key()));
        assertEquals(Set.of(keys.get(1), BackupKeys.manifestKey(keys.get(1)), keys.get(2), keys.get(3),
                BackupKeys.manifestKey(keys.get(3))), left);
    }

    @Test
    void aDownloadCutShortByTheNetworkSaysHowFarItGotAndLeavesNoFile() throws Exception {
        UploadResult r = upload("alpha", NOW, 3_000_000, 7);
        server.faults().breakDownloadsAfter(1_000_000);

        StorageException e = assertThrows(StorageException.class,
                () -> catalog.download(r.getKey(), tmp.resolve("alpha.dump")));

        assertTrue(e.getMessage().startsWith("Downloading s3://" + bucket + "/" + r.getKey() + " failed after "),
                e.getMessage());
        assertTrue(e.getMessage().contains(" of 3000000 bytes"), e.getMessage());
        assertEquals(List.of(), filesIn(tmp));
    }

    @Test
    void aStreamOfACorruptBackupFailsAtItsEnd() throws Exception {
        UploadResult r = upload("alpha", NOW, 10_000, 5);
        byte[] content = read(r.getKey());
        content[0] ^= 0x7f;
        rot(r.getKey(), content);

        try (InputStream in = catalog.openStream(r.getKey())) {
            StorageException e = assertThrows(StorageException.class,
                    () -> in.transferTo(OutputStream.nullOutputStream()));
            assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
        }
    }

    @Test
    void aStreamOfAGoodBackupEndsNormally() throws Exception {
        UploadResult r = upload("alpha", NOW, 10_000, 6);

        try (InputStream in = catalog.openStream(r.getKey())) {
            assertArrayEquals(read(r.getKey()), in.readAllBytes());
        }
    }

    @Test
    void deletesInBatchesOfAThousandAndReportsEveryKeyOfAFailedBatch() throws Exception {
        List<String> keys = new ArrayList<>(BackupSeeder.putBackups(s3, bucket, "backups/prod", "alpha", NOW,
                Duration.ofMinutes(1), 2300));
        List<String> secondBatch = keys.subList(1000, 2000);
        server.faults().failDeleteBatchesContaining(secondBatch.get(500));

        DeleteResult result = catalog.delete(keys);

        assertEquals(new HashSet<>(secondBatch), result.getFailed().keySet());
        assertTrue(result.getFailed().values().iterator().next().contains("DeleteObjects request failed"),
                result.getFailed().values().iterator().next());
        assertEquals(1300, result.getDeleted().size());
        assertEquals(new HashSet<>(secondBatch), keys(catalog.list("alpha")));
    }

    @Test
    void reportsAKeyTheServerKeptWhileSayingItWasDeleted() throws Exception {
        List<String> keys = BackupSeeder.putBackups(s3, bucket, "backups/prod", "alpha", NOW, Duration.ofDays(1), 5);
        server.faults().undeletable(keys.get(2));

        DeleteResult result = catalog.delete(keys);

        assertEquals(Set.of(keys.get(2)), result.getFailed().keySet());
        assertTrue(result.getFailed().get(keys.get(2)).contains("still present"));
        assertEquals(4, result.getDeleted().size());
        assertFalse(result.getDeleted().contains(keys.get(2)));
        assertEquals(Set.of(keys.get(2)), keys(catalog.list("alpha")));
    }

    @Test
    void probeWritesReadsAndDeletesATestObject() throws Exception {
        Duration took = catalog.probe();

        assertTrue(took.toNanos() > 0);
        assertEquals(List.of(), s3.listObjectsV2(b -> b.bucket(bucket)).contents());
    }

    @Test
    void probeNamesTheFailingStepAndNeverTheSecret() {
        BackupCatalog noBucket = new BackupCatalog(s3, server.settings("no-such-bucket", "x"));
        StorageException missing = assertThrows(StorageException.class, noBucket::probe);
        assertTrue(missing.getMessage().startsWith("Writing the test object s3://no-such-bucket/x/"),
                missing.getMessage());
        assertTrue(missing.getMessage().contains("NoSuchBucket"), missing.getMessage());

        StorageSettings wrong = server.settings(bucket, "x").toBuilder()
                .credentials(S3ProxyServer.ACCESS_KEY, "wrong-secret-value-1234").build();
        try (S3Client client = S3Clients.create(wrong)) {
            StorageException denied = assertThrows(StorageException.class,
                    () -> new BackupCatalog(client, wrong).probe());
            assertTrue(denied.getMessage().contains("SignatureDoesNotMatch")
                    || denied.getMessage().contains("AccessDenied"), denied.getMessage());
            assertFalse(denied.getMessage().contains("wrong-secret-value-1234"));
        }
    }

    private byte[] read(String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asByteArray();
    }

    /** Replaces the content and keeps the metadata, as bit rot or a broken copy would. */
    private void rewrite(String key, byte[] content) {
        Map<String, String> metadata = s3.headObject(b -> b.bucket(bucket).key(key)).metadata();
        s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata), RequestBody.fromBytes(content));
    }

    /**
     * Replaces the content and makes the manifest vouch for the new object's ETag, keeping its size and SHA-256: bit
     * rot that the server's ETag does not see, as on servers whose ETag is not a hash of the content.
     */
    private void rot(String key, byte[] content) throws Exception {
        rewrite(key, content);
        String eTag = s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
        BackupManifest m = catalog.readManifest(key).orElseThrow();
        new ManifestStore(s3, bucket).write(BackupManifest.builder(key, m.getMetadata(), m.getSize(), m.getSha256(),
                eTag).parts(m.getParts(), m.getPartSize()).build());
    }

    private static Set<String> keys(List<BackupObject> backups) {
        Set<String> keys = new HashSet<>();
        backups.forEach(b -> keys.add(b.getKey()));
        return keys;
    }

    private static List<Path> filesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
