package io.jenkins.plugins.pgbackup.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.catalog.NewestBackupReader;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.BackupSeeder;
import io.jenkins.plugins.pgbackup.testing.MutableClock;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The alarm against S3Proxy (objects with controlled timestamps) and a local HTTP receiver standing in for Discord. */
class FreshnessCheckerTest {
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final String PREFIX = "backups/prod";
    private static final FreshnessRule RULE = new FreshnessRule("prod-app", "app", "s3proxy", Duration.ofHours(24));

    private static S3ProxyServer server;
    private static S3Client dead;
    private S3Client s3;
    private String bucket;
    private DiscordReceiver discord;
    private final MutableClock clock = new MutableClock(T0);
    private volatile boolean unreachable;

    @TempDir
    Path home;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.inMemory();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // nothing listens there any more: connections are refused, as with an endpoint that is down
        dead = S3Clients.create(StorageSettings.builder(StorageSettings.Provider.S3_COMPATIBLE)
                .endpoint("http://127.0.0.1:" + port).bucket("b").credentials("a", "b").build());
    }

    @AfterAll
    static void stopServer() throws Exception {
        dead.close();
        server.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        s3 = server.client();
        bucket = server.createBucket();
        discord = new DiscordReceiver();
    }

    @AfterEach
    void tearDown() {
        discord.close();
    }

    private FreshnessChecker checker() {
        StorageSettings settings = server.settings(bucket, PREFIX);
        FreshnessChecker.TargetReader reader = name -> name.equals("s3proxy")
                ? new NewestBackupReader(clock, false).read(unreachable ? dead : s3, settings)
                : null;
        return new FreshnessChecker(reader, new AlarmStateFile(home.resolve("alarms.properties")), discord.sink(),
                clock, "http://jenkins.example/pgbackup-backups/", "PostgreSQL Backups");
    }

    private FreshnessChecker.CheckReport check() throws Exception {
        return checker().check(List.of(RULE));
    }

    private void backupAt(Instant t) {
        BackupSeeder.putBackup(s3, bucket, PREFIX, "app", t);
    }

    @Test
    void freshThenStaleThenStillStaleThenFreshAgainSendsOneAlarmAndOneRecovery() throws Exception {
        backupAt(T0.minus(Duration.ofHours(2)));
        FreshnessChecker.CheckReport fresh = check();
        assertEquals(FreshnessState.FRESH, fresh.statuses().get(0).state());
        assertTrue(fresh.alarms().isEmpty());
        assertTrue(discord.messages().isEmpty());

        clock.advance(Duration.ofHours(23)); // newest is 25 h old now
        FreshnessChecker.CheckReport stale = check();
        assertEquals(FreshnessState.STALE, stale.statuses().get(0).state());
        assertEquals(1, stale.alarms().size());
        assertEquals(1, stale.announced().size());
        assertEquals(List.of("Backup freshness FAILED: app"), discord.titles());
        String description = discord.messages().get(0).path("embeds").path(0).path("description").asText();
        assertTrue(description.contains("STALE") && description.contains("25 h old"), description);

        clock.advance(Duration.ofHours(1));
        FreshnessChecker.CheckReport still = check();
        assertEquals(FreshnessState.STALE, still.statuses().get(0).state());
        assertTrue(still.announced().isEmpty());
        assertEquals(1, discord.messages().size());

        backupAt(clock.instant().minus(Duration.ofMinutes(30)));
        FreshnessChecker.CheckReport recovered = check();
        assertEquals(FreshnessState.FRESH, recovered.statuses().get(0).state());
        assertTrue(recovered.announced().get(0).isRecovery());
        assertEquals(List.of("Backup freshness FAILED: app", "Backup freshness succeeded: app"), discord.titles());

        check();
        assertEquals(2, discord.messages().size());
    }

    @Test
    void unreachableStorageIsAWarningNeverAFalseStaleOrRecovery() throws Exception {
        backupAt(T0.minus(Duration.ofHours(30)));
        unreachable = true;
        FreshnessChecker.CheckReport down = check();
        assertEquals(FreshnessState.UNKNOWN, down.statuses().get(0).state());
        assertEquals(1, down.unknown().size());
        assertTrue(down.alarms().isEmpty());
        assertTrue(down.statuses().get(0).detail().contains("could not be read"), down.statuses().get(0).detail());
        assertTrue(discord.messages().isEmpty());

        unreachable = false;
        check();
        assertEquals(List.of("Backup freshness FAILED: app"), discord.titles());

        unreachable = true;
        FreshnessChecker.CheckReport downAgain = check();
        assertEquals(FreshnessState.UNKNOWN, downAgain.statuses().get(0).state());
        assertTrue(downAgain.announced().isEmpty());

        unreachable = false;
        check(); // still stale: the outage in between neither recovered nor re-raised it
        assertEquals(1, discord.messages().size());
    }

    @Test
    void noBackupAtAllIsMissingAndAnUnfinishedUploadDoesNotCount() throws Exception {
        BackupSeeder.putBackup(s3, bucket, PREFIX, "other", T0);
        FreshnessChecker.CheckReport missing = check();
        assertEquals(FreshnessState.MISSING, missing.statuses().get(0).state());
        assertEquals(List.of("Backup freshness FAILED: app"), discord.titles());

        BackupSeeder.putUnfinished(s3, bucket, PREFIX, "app", T0.minus(Duration.ofMinutes(5)));
        FreshnessChecker.CheckReport stillMissing = check();
        assertEquals(FreshnessState.MISSING, stillMissing.statuses().get(0).state());
        assertEquals(1, discord.messages().size());

        backupAt(T0.minus(Duration.ofMinutes(10)));
        assertEquals(FreshnessState.FRESH, check().statuses().get(0).state());
        assertEquals(List.of("Backup freshness FAILED: app", "Backup freshness succeeded: app"), discord.titles());
    }

    @Test
    void theStateSurvivesARestartSoTheAlarmIsNotRepeated() throws Exception {
        backupAt(T0.minus(Duration.ofHours(48)));
        checker().check(List.of(RULE));
        AlarmStateFile file = new AlarmStateFile(home.resolve("alarms.properties"));
        assertEquals(FreshnessState.STALE, file.load().get("prod-app").state());

        clock.advance(Duration.ofMinutes(5));
        FreshnessChecker.CheckReport afterRestart = checker().check(List.of(RULE)); // new instances, same file
        assertTrue(afterRestart.announced().isEmpty());
        assertEquals(1, discord.messages().size());
    }

    @Test
    void aMessageDiscordDidNotTakeIsSentAtTheNextCheckOnlyOnce() throws Exception {
        backupAt(T0.minus(Duration.ofHours(30)));
        discord.failWith(500);
        FreshnessChecker.CheckReport failed = check();
        assertEquals(1, failed.undelivered().size());
        assertNull(new AlarmStateFile(home.resolve("alarms.properties")).load().get("prod-app"));

        discord.failWith(204);
        check();
        check();
        assertEquals(List.of("Backup freshness FAILED: app"), discord.titles());
    }

    @Test
    void aRuleNoLongerConfiguredIsForgotten() throws Exception {
        backupAt(T0.minus(Duration.ofHours(30)));
        check();
        checker().check(List.of());
        assertFalse(new AlarmStateFile(home.resolve("alarms.properties")).load().containsKey("prod-app"));
    }

    @Test
    void aRuleNamingAnUnknownTargetIsUnknownNotStale() throws Exception {
        FreshnessRule elsewhere = new FreshnessRule("prod-app", "app", "nowhere", Duration.ofHours(1));
        FreshnessChecker.CheckReport r = checker().check(List.of(elsewhere));
        assertEquals(FreshnessState.UNKNOWN, r.statuses().get(0).state());
        assertTrue(discord.messages().isEmpty());
    }
}
