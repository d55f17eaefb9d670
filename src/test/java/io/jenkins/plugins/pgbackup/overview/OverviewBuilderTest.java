package io.jenkins.plugins.pgbackup.overview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.catalog.NewestBackupReader;
import io.jenkins.plugins.pgbackup.catalog.LastVerifyReader;
import io.jenkins.plugins.pgbackup.freshness.FreshnessChecker;
import io.jenkins.plugins.pgbackup.freshness.FreshnessRule;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import io.jenkins.plugins.pgbackup.testing.BackupSeeder;
import io.jenkins.plugins.pgbackup.testing.MutableClock;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The backups page's model, read from S3Proxy, next to a target that cannot be reached. */
class OverviewBuilderTest {
    private static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");
    private static final String PREFIX = "pg/prod";

    private static S3ProxyServer server;
    private static S3Client dead;
    private S3Client s3;
    private String bucket;
    private final MutableClock clock = new MutableClock(NOW);

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.inMemory();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        dead = S3Clients.create(StorageSettings.builder(StorageSettings.Provider.S3_COMPATIBLE)
                .endpoint("http://127.0.0.1:" + port).bucket("gone").credentials("a", "b").build());
    }

    @AfterAll
    static void stopServer() throws Exception {
        dead.close();
        server.close();
    }

    @BeforeEach
    void newBucket() {
        s3 = server.client();
        bucket = server.createBucket();
    }

    private FreshnessChecker.TargetReader reader() {
        return name -> switch (name) {
            case "r2" -> new NewestBackupReader(clock, true).read(s3, server.settings(bucket, PREFIX));
            case "down" -> new NewestBackupReader(clock, true).read(dead, server.settings("gone", "x"));
            default -> null;
        };
    }

    /** A real upload with the start metadata a Jenkins build writes, and its manifest. */
    private UploadResult upload(String database, Instant when, String backupBy) throws Exception {
        String key = BackupKeys.key(PREFIX, database, when, "dump");
        BackupMetadata m = BackupMetadata.builder(database, when).postgresVersion("17").serverVersion("17.6")
                .pgDumpVersion("17.6").dumpFormat("custom").compression("zstd:3").backupBy(backupBy).build();
        return new StreamingUploader(s3, bucket)
                .upload(TestStreams.random(70_000, 7), key, m, p -> {});
    }

    @Test
    void showsTheNewestBackupOfEachDatabaseWithEverythingARestoreNeedsAndTheFailingTargetApart() throws Exception {
        BackupSeeder.putBackups(s3, bucket, PREFIX, "app", NOW.minus(Duration.ofHours(3)), Duration.ofDays(1), 5);
        UploadResult newest = upload("app", NOW.minus(Duration.ofHours(1)), "jenkins:team/nightly backup#12");
        BackupSeeder.putUnfinished(s3, bucket, PREFIX, "app", NOW.minus(Duration.ofMinutes(5)));
        BackupSeeder.putLegacyBackup(s3, bucket, PREFIX, "billing", NOW.minus(Duration.ofHours(40)));
        List<FreshnessRule> rules = List.of(new FreshnessRule("prod-app", "app", "r2", Duration.ofHours(24)),
                new FreshnessRule("prod-billing", "billing", "r2", Duration.ofHours(24)),
                new FreshnessRule("prod-crm", "crm", "r2", Duration.ofHours(24)),
                new FreshnessRule("prod-down", "app", "down", Duration.ofHours(24)));
        // what pgVerify leaves next to the backup it verified (format from the verify branch's status note)
        s3.putObject(b -> b.bucket(bucket).key(newest.getKey() + LastVerifyReader.SUFFIX),
                RequestBody.fromString("{\"verify-version\":1,\"key\":\"" + newest.getKey() + "\",\"outcome\":"
                        + "\"passed\",\"summary\":\"4 checks passed\",\"finished\":\"2026-03-02T07:40:00Z\","
                        + "\"build\":\"job/drill/3/\",\"checks\":[],\"future-field\":true}"));
        s3.putObject(b -> b.bucket(bucket).key(BackupKeys.key(PREFIX, "billing", NOW.minus(Duration.ofHours(40)),
                "dump") + LastVerifyReader.SUFFIX), RequestBody.fromString("{\"verify-version\":1,\"outcome\":"
                + "\"failed\",\"summary\":\"1 of 3 checks failed: tables\"}"));

        BackupsOverview o = new OverviewBuilder(reader(), rules, "https://ci.example/", clock)
                .build(List.of("down", "r2"));

        assertEquals(List.of("down", "r2"), o.getTargets().stream().map(TargetView::getName).toList());
        assertEquals("2026-03-02 08:00:00 UTC", o.getReadAt());
        TargetView down = o.target("down");
        assertTrue(down.isFailed());
        assertTrue(down.getError().contains("Listing s3://gone/x/ failed"), down.getError());

        TargetView r2 = o.target("r2");
        assertFalse(r2.isFailed());
        assertEquals(List.of("app", "billing", "crm"), r2.getRows().stream().map(BackupRow::getDatabase).toList());
        BackupRow app = r2.getRows().get(0);
        assertEquals(newest.getKey(), app.getKey());
        assertEquals(7, app.getStored()); // 5 seeded + the upload + the unfinished one
        assertEquals("1 h", app.getAge());
        assertEquals(NOW.minus(Duration.ofHours(1)).toString(), app.getMadeAt());
        assertEquals("2026-03-02 07:00:00 UTC", app.getMadeAtExact());
        assertEquals(70_000, app.getSizeBytes());
        assertEquals("68.4 KB", app.getSizeText());
        assertEquals(TestStreams.sha256(70_000, 7), app.getSha256());
        assertEquals(TestStreams.sha256(70_000, 7).substring(0, 12), app.getSha256Short());
        assertEquals("17", app.getPostgresVersion());
        assertEquals("17.6", app.getServerVersion());
        assertEquals("custom", app.getFormat());
        assertEquals("zstd:3", app.getCompression());
        assertEquals("17 (17.6)", app.getVersionText());
        assertEquals("custom, zstd:3", app.getFormatText());
        assertEquals("https://ci.example/job/team/job/nightly%20backup/12/", app.getBuildUrl());
        assertEquals("team/nightly backup #12", app.getBuildLabel());
        assertEquals("PASSED", app.getVerifyState());
        assertEquals("https://ci.example/job/drill/3/", app.getVerifyUrl());
        assertEquals("4 checks passed, 2026-03-02T07:40:00Z", app.getVerifyText());
        assertEquals("4 checks passed", app.getVerifySummary());
        assertEquals("20 min", app.getVerifyAge());
        assertEquals("2026-03-02 07:40:00 UTC", app.getVerifyAtExact());
        assertEquals("FRESH", app.getFreshness());
        assertEquals("pgRestore storage: 'r2', key: '" + newest.getKey() + "', connection: 'TARGET-CONNECTION'",
                app.getRestoreSnippet());

        BackupRow billing = r2.getRows().get(1);
        assertEquals("STALE", billing.getFreshness());
        assertEquals("40 h", billing.getAge());
        assertEquals("FAILED", billing.getVerifyState());
        assertEquals("1 of 3 checks failed: tables", billing.getVerifyText());
        assertNull(billing.getVerifyAge()); // the record has no finishing time
        assertNull(billing.getBuildUrl());
        assertNotNull(billing.getSha256()); // the first layout's metadata

        BackupRow crm = r2.getRows().get(2);
        assertFalse(crm.isHasBackup());
        assertEquals("MISSING", crm.getFreshness());
        assertNull(crm.getRestoreSnippet());
    }

    @Test
    void aDatabaseNobodyWatchesIsListedWithoutAFreshnessState() throws Exception {
        BackupSeeder.putBackup(s3, bucket, PREFIX, "données", NOW.minus(Duration.ofDays(9)));
        BackupsOverview o = new OverviewBuilder(reader(), List.of(), null, clock).build(List.of("r2"));
        BackupRow row = o.target("r2").getRows().get(0);
        assertEquals("données", row.getDatabase());
        assertEquals(BackupKeys.safeName("données"), row.getFolder());
        assertEquals("NOT_WATCHED", row.getFreshness());
        assertEquals("NONE", row.getVerifyState());
        assertEquals("9 d", row.getAge());
    }

    @Test
    void aTargetNoLongerConfiguredIsAnErrorLineNotAnException() throws Exception {
        BackupsOverview o = new OverviewBuilder(reader(), List.of(), null, clock).build(List.of("gone"));
        assertTrue(o.target("gone").getError().contains("no storage target named 'gone'"));
    }

    @Test
    void onlyUnfinishedUploadsNameNoBackupButSayWhy() throws Exception {
        BackupSeeder.putUnfinished(s3, bucket, PREFIX, "app", NOW.minus(Duration.ofMinutes(5)));
        BackupRow row = new OverviewBuilder(reader(), List.of(), null, clock).build(List.of("r2"))
                .target("r2").getRows().get(0);
        assertFalse(row.isHasBackup());
        assertEquals(1, row.getStored());
        assertTrue(row.getProblem().contains("is a complete backup"), row.getProblem());
    }
}
