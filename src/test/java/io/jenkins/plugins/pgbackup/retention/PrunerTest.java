package io.jenkins.plugins.pgbackup.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import io.jenkins.plugins.pgbackup.testing.BackupSeeder;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class PrunerTest {
    private static final String PREFIX = "backups";
    private static final Instant NOW = Instant.parse("2025-11-17T15:00:00Z");

    private static S3ProxyServer server;
    private S3Client s3;
    private String bucket;
    private BackupCatalog catalog;
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final EngineLog log = new EngineLog() {
        @Override
        public void info(String line) {
            logLines.add(line);
        }

        @Override
        public void warn(String line) {
            logLines.add("WARNING: " + line);
        }
    };

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
        catalog = new BackupCatalog(s3, server.settings(bucket, PREFIX));
    }

    @AfterEach
    void resetFaults() {
        server.faults().reset();
    }

    /** The backup that just succeeded, uploaded the way the plugin uploads. */
    private UploadResult backUp(String database, Instant when) throws Exception {
        BackupMetadata m = BackupMetadata.builder(database, when).postgresVersion("17").dumpFormat("custom").build();
        return new StreamingUploader(s3, bucket).upload(TestStreams.random(4096, when.getEpochSecond()),
                BackupKeys.key(PREFIX, database, when, "dump"), m, p -> {});
    }

    private List<String> seed(String database, Instant newest, Duration step, int count) throws Exception {
        return BackupSeeder.putBackups(s3, bucket, PREFIX, database, newest, step, count);
    }

    private Set<String> remaining(String database) throws Exception {
        Set<String> s = new TreeSet<>();
        catalog.list(database).forEach(b -> s.add(b.getMetadata().getTimestampText()));
        return s;
    }

    private Set<String> allKeys() {
        Set<String> keys = new TreeSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    private boolean exists(String key) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(key)).contents().stream()
                .anyMatch(o -> o.key().equals(key));
    }

    @Test
    void prunesOnlyThatDatabaseAmongMoreThanAThousandObjectsAndLeavesForeignOnesAlone() throws Exception {
        // the first layout (size and sha256 in the metadata, no manifest): what earlier versions left
        List<String> prod = BackupSeeder.putBackups(s3, bucket, PREFIX, "prod", NOW.minus(Duration.ofHours(1)),
                Duration.ofHours(1), 1100, BackupSeeder.Layout.LEGACY);
        seed("prod2", NOW, Duration.ofHours(1), 40);
        seed("my db", NOW, Duration.ofHours(1), 20);
        List<String> foreign = List.of(PREFIX + "/prod/prod_20200101_000000.dump", PREFIX + "/prod/notes.txt",
                PREFIX + "/prod/prod_20200102_000000.dump", "elsewhere/prod/prod_20200101_000000.dump");
        BackupSeeder.putForeign(s3, bucket, foreign.get(0), Map.of("database", "prod"));
        BackupSeeder.putForeign(s3, bucket, foreign.get(1), Map.of());
        // an unfinished upload, but written just now (LastModified): within the grace period
        BackupSeeder.putForeign(s3, bucket, foreign.get(2), Map.of("created-by", "jenkins-postgresql-backup",
                "database", "prod", "timestamp", "20200102_000000"));
        BackupSeeder.putBackupAt(s3, bucket, foreign.get(3), "prod", NOW.minus(Duration.ofDays(3000)));
        UploadResult justMade = backUp("prod", NOW);

        PruneResult result = new Pruner(catalog, log).prune(justMade, "prod",
                RetentionPolicy.builder().keepLast(10).build(), NOW);

        assertEquals(1091, result.getPruned().size());
        assertEquals(new HashSet<>(prod.subList(9, 1100)), new HashSet<>(result.getPruned()));
        assertEquals(10, result.getKept().size());
        assertEquals(justMade.getKey(), result.getKept().get(0));
        assertTrue(result.isComplete());
        assertEquals(10, catalog.list("prod").size());
        assertEquals(40, catalog.list("prod2").size());
        assertEquals(20, catalog.list("my db").size());
        foreign.forEach(k -> assertTrue(exists(k), k + " untouched"));
    }

    @Test
    void keepDaysKeepsTheLastDDays() throws Exception {
        seed("prod", Instant.parse("2025-11-17T02:00:00Z"), Duration.ofDays(1), 10);
        UploadResult justMade = backUp("prod", NOW);

        new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder().keepDays(3).build(), NOW);

        assertEquals(Set.of("20251117_150000", "20251117_020000", "20251116_020000", "20251115_020000"),
                remaining("prod"));
    }

    @Test
    void grandfatherFatherSonKeepsTheNewestOfEachDayWeekAndMonth() throws Exception {
        seed("prod", Instant.parse("2025-11-17T02:00:00Z"), Duration.ofDays(1), 70);
        UploadResult justMade = backUp("prod", NOW);

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod",
                RetentionPolicy.builder().keepDaily(2).keepWeekly(2).keepMonthly(3).build(), NOW);

        // Monday the 17th's 02:00 backup goes: the one just made is that day's, week's and month's newest
        assertEquals(Set.of("20251117_150000", "20251116_020000", "20251031_020000", "20250930_020000"),
                remaining("prod"));
        assertEquals(67, r.getPruned().size());
    }

    @Test
    void theMinimumStaysWhateverTheRulesSay() throws Exception {
        seed("prod", NOW.minus(Duration.ofDays(100)), Duration.ofDays(1), 5);
        UploadResult justMade = backUp("prod", NOW);

        new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder().keepDays(7).minimumKept(3).build(),
                NOW);

        assertEquals(Set.of("20251117_150000", "20250809_150000", "20250808_150000"), remaining("prod"));
    }

    @Test
    void aDryRunDeletesNothingAndLogsWhatWouldGo() throws Exception {
        List<String> old = seed("prod", NOW.minus(Duration.ofDays(1)), Duration.ofDays(1), 6);
        UploadResult justMade = backUp("prod", NOW);

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod",
                RetentionPolicy.builder().keepLast(2).dryRun(true).build(), NOW);

        assertTrue(r.isDryRun());
        assertEquals(List.of(), r.getPruned());
        assertEquals(new HashSet<>(old.subList(1, 6)), new HashSet<>(r.getSelected()));
        assertEquals(7, catalog.list("prod").size());
        for (String k : old.subList(1, 6)) {
            assertTrue(logLines.stream().anyMatch(l -> l.startsWith("Dry run, would delete " + k)), k);
        }
    }

    @Test
    void nothingIsPrunedWhenTheBackupJustMadeIsNotOnStorage() throws Exception {
        seed("prod", NOW.minus(Duration.ofDays(1)), Duration.ofDays(1), 5);
        UploadResult justMade = backUp("prod", NOW);
        s3.deleteObject(b -> b.bucket(bucket).key(justMade.getKey()));

        StorageException e = assertThrows(StorageException.class, () -> new Pruner(catalog, log).prune(justMade,
                "prod", RetentionPolicy.builder().keepLast(1).build(), NOW));

        assertTrue(e.getMessage().startsWith("Not pruning"), e.getMessage());
        assertEquals(5, catalog.list("prod").size());
    }

    @Test
    void nothingIsPrunedWhenStorageHoldsSomethingElseAtTheKey() throws Exception {
        seed("prod", NOW.minus(Duration.ofDays(1)), Duration.ofDays(1), 5);
        UploadResult justMade = backUp("prod", NOW);
        Map<String, String> metadata = new java.util.HashMap<>(
                s3.headObject(b -> b.bucket(bucket).key(justMade.getKey())).metadata());
        metadata.put("sha256", "f".repeat(64));
        s3.putObject(b -> b.bucket(bucket).key(justMade.getKey()).metadata(metadata),
                RequestBody.fromString("partial"));

        StorageException e = assertThrows(StorageException.class, () -> new Pruner(catalog, log).prune(justMade,
                "prod", RetentionPolicy.builder().keepLast(1).build(), NOW));

        assertTrue(e.getMessage().contains("the object holds 7 bytes, but its manifest records 4096"),
                e.getMessage());
        assertEquals(5, catalog.list("prod").size(), "the replaced object is no backup, the old ones all stay");
    }

    @Test
    void aBackupOfOneDatabaseCannotPruneAnother() throws Exception {
        seed("prod2", NOW.minus(Duration.ofDays(1)), Duration.ofDays(1), 5);
        UploadResult justMade = backUp("prod", NOW);

        assertThrows(StorageException.class, () -> new Pruner(catalog, log).prune(justMade, "prod2",
                RetentionPolicy.builder().keepLast(1).build(), NOW));

        assertEquals(5, catalog.list("prod2").size());
    }

    @Test
    void aFailedBackupLeavesNoResultToPruneWithAndTheOldBackupsStay() throws Exception {
        seed("prod", NOW.minus(Duration.ofDays(1)), Duration.ofDays(1), 5);
        String key = BackupKeys.key(PREFIX, "prod", NOW, "dump");
        BackupMetadata m = BackupMetadata.builder("prod", NOW).build();

        assertThrows(java.io.IOException.class, () -> new StreamingUploader(s3, bucket).upload(
                TestStreams.failingAfter(100_000, 1), key, m, p -> {}));

        // Pruner.prune needs the UploadResult only a finished upload returns; there is none to pass
        assertFalse(exists(key));
        assertEquals(5, catalog.list("prod").size());
    }

    @Test
    void prunesBackupsOfBothLayoutsByTheSameRulesAndDeletesEachManifestWithItsDump() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            Instant t = NOW.minus(Duration.ofDays(i));
            keys.add(i % 2 == 0 ? BackupSeeder.putLegacyBackup(s3, bucket, PREFIX, "prod", t)
                    : BackupSeeder.putBackup(s3, bucket, PREFIX, "prod", t));
        }
        UploadResult justMade = backUp("prod", NOW);

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder().keepLast(3).build(),
                NOW);

        assertEquals(new HashSet<>(keys.subList(2, 6)), new HashSet<>(r.getPruned()));
        Set<String> left = allKeys();
        assertEquals(Set.of(justMade.getKey(), justMade.getManifestKey(), keys.get(0),
                BackupKeys.manifestKey(keys.get(0)), keys.get(1)), left, "no manifest outlives its dump");
    }

    @Test
    void anUnfinishedUploadIsDeletedOnlyOnceOlderThanTheGracePeriod() throws Exception {
        Instant realNow = Instant.now();
        String unfinished = BackupSeeder.putUnfinished(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofDays(2)));
        UploadResult justMade = backUp("prod", realNow);
        RetentionPolicy keepAll = RetentionPolicy.builder().keepLast(100).build();

        PruneResult early = new Pruner(catalog, log).prune(justMade, "prod", keepAll, realNow.plus(Duration.ofHours(23)));
        assertTrue(exists(unfinished), "written (LastModified) less than 24 h before: it may still be finishing");
        assertEquals(List.of(), early.getLeftovers());

        PruneResult late = new Pruner(catalog, log).prune(justMade, "prod", keepAll, realNow.plus(Duration.ofHours(25)));
        assertEquals(List.of(unfinished), late.getLeftovers());
        assertFalse(exists(unfinished));
        assertTrue(exists(justMade.getKey()) && exists(justMade.getManifestKey()));
        assertEquals(List.of(), late.getPruned(), "leftovers are not backups");
        assertTrue(logLines.contains("Deleted the leftover of an unfinished backup " + unfinished), logLines.toString());
    }

    @Test
    void anOpenMultipartUploadOfABackupIsAbortedOnlyOnceOlderThanTheGracePeriod() throws Exception {
        Instant realNow = Instant.now();
        String stuck = BackupKeys.key(PREFIX, "prod", realNow.minus(Duration.ofHours(2)), "dump");
        String stuckId = s3.createMultipartUpload(b -> b.bucket(bucket).key(stuck)).uploadId();
        s3.uploadPart(b -> b.bucket(bucket).key(stuck).uploadId(stuckId).partNumber(1),
                RequestBody.fromBytes(new byte[1024]));
        String foreign = PREFIX + "/prod/notes.txt";
        String foreignId = s3.createMultipartUpload(b -> b.bucket(bucket).key(foreign)).uploadId();
        String other = BackupKeys.key(PREFIX, "other", realNow.minus(Duration.ofHours(2)), "dump");
        String otherId = s3.createMultipartUpload(b -> b.bucket(bucket).key(other)).uploadId();
        UploadResult justMade = backUp("prod", realNow);
        RetentionPolicy noRules = RetentionPolicy.builder().build();

        // S3Proxy dates every open upload "now" when it lists them: only the later clock makes them old
        PruneResult early = new Pruner(catalog, log).prune(justMade, "prod", noRules, realNow.plus(Duration.ofHours(23)));
        assertEquals(List.of(), early.getAbortedUploads());
        assertEquals(Set.of(stuckId, foreignId, otherId), openUploadIds(), "an upload may still be streaming");

        PruneResult dry = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder().dryRun(true)
                .build(), realNow.plus(Duration.ofHours(25)));
        assertEquals(List.of(stuck + " (upload " + stuckId + ")"), dry.getAbortedUploads());
        assertEquals(Set.of(stuckId, foreignId, otherId), openUploadIds());

        PruneResult late = new Pruner(catalog, log).prune(justMade, "prod", noRules, realNow.plus(Duration.ofHours(25)));
        assertEquals(List.of(stuck + " (upload " + stuckId + ")"), late.getAbortedUploads());
        assertEquals(Set.of(foreignId, otherId), openUploadIds(), "not a backup key, or another database's");
        assertTrue(logLines.contains("Aborted the open multipart upload of an unfinished backup, " + stuck + " (upload "
                + stuckId + ")"), logLines.toString());
        assertTrue(exists(justMade.getKey()) && exists(justMade.getManifestKey()));
    }

    @Test
    void anOpenUploadThatCannotBeAbortedIsReportedAndTheRestGoesOn() throws Exception {
        Instant realNow = Instant.now();
        String stuck = BackupKeys.key(PREFIX, "prod", realNow.minus(Duration.ofHours(30)), "dump");
        String stuckId = s3.createMultipartUpload(b -> b.bucket(bucket).key(stuck)).uploadId();
        String unfinished = BackupSeeder.putUnfinished(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofDays(2)));
        UploadResult justMade = backUp("prod", realNow);
        server.faults().failAborts(Integer.MAX_VALUE);

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder().build(),
                realNow.plus(Duration.ofHours(25)));

        assertEquals(List.of(), r.getAbortedUploads());
        assertEquals(Set.of(stuckId), openUploadIds());
        assertEquals(List.of(unfinished), r.getLeftovers(), "the other leftovers are still cleaned up");
        assertTrue(logLines.stream().anyMatch(l -> l.startsWith("WARNING: Could not abort the open multipart upload "
                + "of an unfinished backup: Aborting the multipart upload " + stuckId + " of s3://" + bucket + "/"
                + stuck + " failed: HTTP (500)")), logLines.toString());
    }

    private Set<String> openUploadIds() {
        Set<String> ids = new TreeSet<>();
        s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().forEach(u -> ids.add(u.uploadId()));
        return ids;
    }

    @Test
    void theGracePeriodIsConfigurableAndADryRunOnlyReportsLeftovers() throws Exception {
        Instant realNow = Instant.now();
        String unfinished = BackupSeeder.putUnfinished(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofHours(3)));
        String orphan = BackupKeys.manifestKey(BackupKeys.key(PREFIX, "prod", realNow.minus(Duration.ofHours(4)),
                "dump"));
        s3.putObject(b -> b.bucket(bucket).key(orphan), RequestBody.fromString("{}"));
        UploadResult justMade = backUp("prod", realNow);
        Pruner pruner = new Pruner(catalog, log);
        Instant later = realNow.plus(Duration.ofHours(2));

        PruneResult dry = pruner.prune(justMade, "prod", RetentionPolicy.builder().keepLast(1).dryRun(true)
                .unfinishedGraceHours(1).build(), later);
        assertEquals(Set.of(unfinished, orphan), new HashSet<>(dry.getLeftovers()));
        assertTrue(exists(unfinished) && exists(orphan));
        assertTrue(logLines.contains("Dry run, would delete the leftover " + orphan), logLines.toString());

        PruneResult r = pruner.prune(justMade, "prod", RetentionPolicy.builder().keepLast(1).unfinishedGraceHours(1)
                .build(), later);
        assertEquals(Set.of(unfinished, orphan), new HashSet<>(r.getLeftovers()));
        assertEquals(Set.of(justMade.getKey(), justMade.getManifestKey()), allKeys());
    }

    @Test
    void aPruneInterruptedBetweenManifestAndDumpLeavesNoBackupAndTheNextOneCleansUp() throws Exception {
        Instant realNow = Instant.now();
        String old = BackupSeeder.putBackup(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofDays(3)));
        UploadResult first = backUp("prod", realNow.minus(Duration.ofDays(2)));
        server.faults().undeletable(old); // the manifest goes, the dump stays: as a crash in between would leave it

        PruneResult r = new Pruner(catalog, log).prune(first, "prod", RetentionPolicy.builder().keepLast(1).build(),
                realNow);
        assertEquals(Set.of(old), r.getFailed().keySet());
        assertFalse(exists(BackupKeys.manifestKey(old)));
        assertEquals(List.of(first.getKey()), catalog.list("prod").stream().map(BackupObject::getKey).toList());
        assertEquals(first.getKey(), catalog.latest("prod").orElseThrow().getKey());
        server.faults().reset();

        UploadResult second = backUp("prod", realNow);
        PruneResult next = new Pruner(catalog, log).prune(second, "prod", RetentionPolicy.builder().keepLast(2).build(),
                realNow.plus(Duration.ofDays(2)));
        assertEquals(List.of(old), next.getLeftovers());
        assertFalse(exists(old));
    }

    @Test
    void keysThatCouldNotBeDeletedAreReportedAndLogged() throws Exception {
        List<String> old = seed("prod", NOW.minus(Duration.ofDays(1)), Duration.ofDays(1), 2100);
        UploadResult justMade = backUp("prod", NOW);
        // DeleteObjects batches of 1,000, newest first: the second batch fails as a whole, one key survives
        List<String> secondBatch = old.subList(1000, 2000);
        server.faults().failDeleteBatchesContaining(secondBatch.get(10));
        String survivor = old.get(2050);
        server.faults().undeletable(survivor);

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder().keepLast(1).build(),
                NOW);

        Set<String> expectedFailed = new HashSet<>(secondBatch);
        expectedFailed.add(survivor);
        assertEquals(expectedFailed, r.getFailed().keySet());
        assertEquals(2100 - 1001, r.getPruned().size());
        assertFalse(r.isComplete());
        assertTrue(logLines.contains("WARNING: Could not delete old backup " + survivor
                + ": still present after the server reported it deleted (its manifest was deleted: it is no longer a "
                + "backup, and retention deletes it after the grace period)"), String.valueOf(logLines.stream()
                .filter(l -> l.startsWith("WARNING")).limit(3).toList()));
        // manifests go first: what failed is no longer a backup, but an unfinished upload left for the next runs
        assertEquals(List.of(justMade.getKey()), catalog.list("prod").stream().map(BackupObject::getKey).toList());
        Set<String> unfinished = new HashSet<>();
        catalog.inventory("prod").getUnfinished().forEach(b -> unfinished.add(b.getKey()));
        assertEquals(expectedFailed, unfinished);
    }

    private String putVerifyRecord(String dumpKey) {
        String key = BackupKeys.verifyRecordKey(dumpKey);
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{\"verify-version\":1}"));
        return key;
    }

    @Test
    void withoutAnyRuleAnOldLeftoverIsDeletedAFreshOneKeptAndEveryBackupStays() throws Exception {
        Instant realNow = Instant.now();
        List<String> backups = BackupSeeder.putBackups(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofDays(5)),
                Duration.ofDays(1), 20);
        String legacy = BackupSeeder.putLegacyBackup(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofDays(40)));
        String old = BackupSeeder.putUnfinished(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofDays(3)));
        String fresh = BackupSeeder.putUnfinished(s3, bucket, PREFIX, "prod", realNow.plus(Duration.ofHours(47)));
        String oldElsewhere = BackupSeeder.putUnfinished(s3, bucket, PREFIX, "prod2", realNow.minus(Duration.ofDays(3)));
        UploadResult justMade = backUp("prod", realNow.plus(Duration.ofHours(48)));
        server.faults().reset();

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.none(),
                realNow.plus(Duration.ofHours(48)));

        // the backup just made (HEAD, manifest), then only the old dumps without a manifest (the first-layout backup
        // and the leftover), and a HEAD for the deleted leftover's globals: the 20 manifests are not read
        assertEquals(2 + 2 + 1, server.faults().reads());
        assertEquals(List.of(old), r.getLeftovers());
        assertEquals(List.of(), r.getPruned());
        assertEquals(List.of(), r.getSelected());
        assertTrue(r.isComplete());
        assertFalse(exists(old));
        assertTrue(exists(fresh), "its key says it started an hour ago: it may still be finishing");
        assertTrue(exists(oldElsewhere), "another database's folder is that database's backups' business");
        assertEquals(22, catalog.list("prod").size(), "no rule: every backup stays");
        backups.forEach(k -> assertTrue(exists(k) && exists(BackupKeys.manifestKey(k)), k));
        assertTrue(exists(legacy));
        assertTrue(logLines.contains("Cleaning up prod (no retention rule): 1 leftovers of unfinished backups older "
                + "than 24 h"), logLines.toString());
    }

    @Test
    void aPgVerifyRecordWhoseDumpIsGoneIsDeletedOncePastTheGraceAndRecordsOfExistingDumpsStay() throws Exception {
        Instant realNow = Instant.now();
        String kept = BackupSeeder.putBackups(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofDays(5)),
                Duration.ofDays(1), 1).get(0);
        String keptRecord = putVerifyRecord(kept);
        String orphan = putVerifyRecord(BackupKeys.key(PREFIX, "prod", realNow.minus(Duration.ofDays(3)), "dump"));
        String freshOrphan = putVerifyRecord(BackupKeys.key(PREFIX, "prod", realNow.plus(Duration.ofHours(47)),
                "dump"));
        UploadResult justMade = backUp("prod", realNow.plus(Duration.ofHours(48)));

        PruneResult dry = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder().dryRun(true)
                .build(), realNow.plus(Duration.ofHours(48)));
        assertEquals(List.of(orphan), dry.getLeftovers());
        assertTrue(exists(orphan), "a dry run deletes nothing");

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.none(),
                realNow.plus(Duration.ofHours(48)));

        assertEquals(List.of(orphan), r.getLeftovers());
        assertTrue(r.isComplete(), r.getFailed().toString());
        assertFalse(exists(orphan));
        assertTrue(exists(freshOrphan), "its backup's time is within the grace");
        assertTrue(exists(keptRecord), "its backup is still there");
        assertTrue(exists(kept));
        assertTrue(logLines.contains("Deleted the pgVerify record of a backup that is gone, " + orphan),
                logLines.toString());
    }

    @Test
    void globalsWhoseDumpIsGoneAreDeletedWithTheirManifestOncePastTheGraceAndOthersStay() throws Exception {
        Instant realNow = Instant.now();
        String kept = BackupSeeder.putBackups(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofDays(5)),
                Duration.ofDays(1), 1).get(0);
        String keptGlobals = putGlobals(kept);
        String orphan = putGlobals(BackupKeys.key(PREFIX, "prod", realNow.minus(Duration.ofDays(3)), "dump.age"));
        String inFlight = putGlobals(BackupKeys.key(PREFIX, "prod", realNow.plus(Duration.ofHours(47)), "dump"));
        UploadResult justMade = backUp("prod", realNow.plus(Duration.ofHours(48)));

        PruneResult dry = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder().dryRun(true)
                .build(), realNow.plus(Duration.ofHours(48)));
        assertEquals(List.of(orphan), dry.getLeftovers());
        assertTrue(exists(orphan), "a dry run deletes nothing");

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.none(),
                realNow.plus(Duration.ofHours(48)));

        assertEquals(List.of(orphan), r.getLeftovers());
        assertTrue(r.isComplete(), r.getFailed().toString());
        assertFalse(exists(orphan));
        assertFalse(exists(BackupKeys.manifestKey(orphan)), "its manifest went with it");
        assertTrue(exists(inFlight) && exists(BackupKeys.manifestKey(inFlight)),
                "stored before a dump that may still be uploading: within the grace");
        assertTrue(exists(keptGlobals) && exists(BackupKeys.manifestKey(keptGlobals)), "its backup is still there");
        assertTrue(logLines.contains("Deleted the globals of a backup that is gone, " + orphan), logLines.toString());
    }

    /** Globals beside {@code dumpKey} as the engine stores them: the object, then its manifest. */
    private String putGlobals(String dumpKey) {
        String key = BackupKeys.globalsKey(dumpKey);
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("CREATE ROLE app;\n"));
        s3.putObject(b -> b.bucket(bucket).key(BackupKeys.manifestKey(key)), RequestBody.fromString("{}"));
        return key;
    }

    @Test
    void withoutAnyRuleADryRunOnlyReportsTheLeftoversAndTheGraceComesFromThePolicy() throws Exception {
        Instant realNow = Instant.now();
        String unfinished = BackupSeeder.putUnfinished(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofHours(3)));
        UploadResult justMade = backUp("prod", realNow);
        Instant later = realNow.plus(Duration.ofHours(2));

        PruneResult standard = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.none(), later);
        assertEquals(List.of(), standard.getLeftovers(), "written 2 h before: within the default 24 h");

        PruneResult dry = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder()
                .unfinishedGraceHours(1).dryRun(true).build(), later);
        assertEquals(List.of(unfinished), dry.getLeftovers());
        assertTrue(dry.isDryRun());
        assertTrue(exists(unfinished));
        assertTrue(logLines.contains("Dry run, would delete the leftover " + unfinished), logLines.toString());

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder()
                .unfinishedGraceHours(1).build(), later);
        assertEquals(List.of(unfinished), r.getLeftovers());
        assertEquals(Set.of(justMade.getKey(), justMade.getManifestKey()), allKeys());
    }

    @Test
    void withoutAnyRuleNothingIsCleanedWhenTheBackupJustMadeCannotBeConfirmed() throws Exception {
        Instant realNow = Instant.now();
        String old = BackupSeeder.putUnfinished(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofDays(3)));
        UploadResult justMade = backUp("prod", realNow);
        s3.deleteObject(b -> b.bucket(bucket).key(justMade.getManifestKey()));

        assertThrows(StorageException.class, () -> new Pruner(catalog, log).prune(justMade, "prod",
                RetentionPolicy.none(), realNow.plus(Duration.ofDays(2))));
        assertTrue(exists(old));
    }

    @Test
    void aPrunedBackupTakesItsVerifyRecordAlongAndAKeptBackupKeepsIts() throws Exception {
        List<String> keys = seed("prod", NOW.minus(Duration.ofHours(1)), Duration.ofHours(1), 3);
        String keptRecord = putVerifyRecord(keys.get(0));
        String prunedRecord = putVerifyRecord(keys.get(2));
        UploadResult justMade = backUp("prod", NOW);
        String ownRecord = putVerifyRecord(justMade.getKey());

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder().keepLast(2).build(),
                NOW);

        assertEquals(Set.of(keys.get(1), keys.get(2)), new HashSet<>(r.getPruned()));
        assertTrue(r.isComplete());
        assertFalse(exists(prunedRecord));
        assertTrue(exists(keptRecord) && exists(ownRecord));
        assertEquals(Set.of(justMade.getKey(), justMade.getManifestKey(), ownRecord, keys.get(0),
                BackupKeys.manifestKey(keys.get(0)), keptRecord), allKeys());
        assertTrue(logLines.contains("Deleted the pgVerify record of that backup, " + prunedRecord),
                logLines.toString());
    }

    @Test
    void aCleanedLeftoverTakesItsVerifyRecordAlongAndARecordWithoutAnyDumpGoesAsALeftoverOfItsOwn() throws Exception {
        Instant realNow = Instant.now();
        String unfinished = BackupSeeder.putUnfinished(s3, bucket, PREFIX, "prod", realNow.minus(Duration.ofDays(3)));
        String unfinishedRecord = putVerifyRecord(unfinished);
        String orphanDump = BackupKeys.key(PREFIX, "prod", realNow.minus(Duration.ofDays(4)), "dump");
        s3.putObject(b -> b.bucket(bucket).key(BackupKeys.manifestKey(orphanDump)), RequestBody.fromString("{}"));
        String orphanRecord = putVerifyRecord(orphanDump);
        String lonelyRecord = putVerifyRecord(BackupKeys.key(PREFIX, "prod", realNow.minus(Duration.ofDays(9)),
                "dump"));
        UploadResult justMade = backUp("prod", realNow);

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.none(),
                realNow.plus(Duration.ofDays(2)));

        assertEquals(Set.of(unfinished, BackupKeys.manifestKey(orphanDump), lonelyRecord),
                new HashSet<>(r.getLeftovers()), "the orphan manifest's record goes with it, not as a leftover");
        assertTrue(r.isComplete(), r.getFailed().toString());
        assertFalse(exists(unfinishedRecord));
        assertFalse(exists(orphanRecord), "what was left of that backup is gone with its manifest");
        assertFalse(exists(lonelyRecord), "its backup is gone and older than the grace");
        assertEquals(Set.of(justMade.getKey(), justMade.getManifestKey()), allKeys());
    }

    @Test
    void aVerifyRecordThatCannotBeDeletedIsReportedLikeABackup() throws Exception {
        List<String> keys = seed("prod", NOW.minus(Duration.ofHours(1)), Duration.ofHours(1), 2);
        String record = putVerifyRecord(keys.get(1));
        UploadResult justMade = backUp("prod", NOW);
        server.faults().undeletable(record);

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.builder().keepLast(2).build(),
                NOW);

        assertEquals(List.of(keys.get(1)), r.getPruned());
        assertEquals(Set.of(record), r.getFailed().keySet());
        assertFalse(r.isComplete());
        assertTrue(logLines.stream().anyMatch(l -> l.startsWith("WARNING: Could not delete the pgVerify record "
                + record + ": ")), logLines.toString());
    }

    @Test
    void orphanGlobalsWhoseManifestCannotBeDeletedAreKeptAndReported() throws Exception {
        Instant realNow = Instant.now();
        String orphan = putGlobals(BackupKeys.key(PREFIX, "prod", realNow.minus(Duration.ofDays(3)), "dump"));
        UploadResult justMade = backUp("prod", realNow);
        server.faults().failDeleteBatchesContaining(BackupKeys.manifestKey(orphan));

        PruneResult r = new Pruner(catalog, log).prune(justMade, "prod", RetentionPolicy.none(), realNow);

        assertEquals(Set.of(orphan), r.getFailed().keySet());
        assertFalse(r.isComplete());
        assertTrue(exists(orphan) && exists(BackupKeys.manifestKey(orphan)),
                "manifest first: while it cannot be deleted, the globals stay");
        assertTrue(logLines.stream().anyMatch(l -> l.startsWith("WARNING: Could not delete the leftover " + orphan
                + ": ")), logLines.toString());
    }
}
