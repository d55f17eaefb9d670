package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.ChecksumMode;
import io.jenkins.plugins.pgbackup.config.ConfigValidation;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.DiscordNotification;
import io.jenkins.plugins.pgbackup.config.RetentionSettings;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.config.StorageProvider;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.db.SslMode;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BackupRequestMapperTest {

    private TestSettings settings;
    private MapCredentials credentials;

    @BeforeEach
    void configure() {
        settings = new TestSettings();
        DatabaseConnection prod = new DatabaseConnection("prod", "db.example.com", "app", "pg-prod");
        prod.setPort(6432);
        prod.setSslMode("verify-full");
        prod.setExtraOptions("--exclude-table-data='audit.*' --no-comments");
        settings.connections.add(prod);
        StorageTarget r2 = new StorageTarget("r2", "backups", "r2-keys");
        r2.setProvider(StorageProvider.CLOUDFLARE_R2);
        r2.setEndpoint("https://acc.r2.cloudflarestorage.com");
        r2.setPrefix("postgres/prod");
        settings.targets.add(r2);
        credentials = new MapCredentials()
                .with("pg-prod", "backup", "s3cr3t-pg")
                .with("r2-keys", "AKIAR2", "r2-secret-key")
                .with("pg-inline", "inline-user", "inline-pw")
                .with("aws", "AKIAAWS", "aws-secret");
    }

    private static BackupOptions named() {
        BackupOptions o = new BackupOptions();
        o.setConnection("prod");
        o.setStorage("r2");
        return o;
    }

    private BackupPlan map(BackupOptions o) throws AbortException {
        return BackupRequestMapper.map(o, settings, credentials, "/usr/local/bin:/usr/bin", "jenkins:job#7");
    }

    @Test
    void namedConnectionAndTargetResolveWithTheirCredentials() throws AbortException {
        BackupPlan p = map(named());
        assertEquals("db.example.com", p.connection().getHost());
        assertEquals(6432, p.connection().getPort());
        assertEquals("app", p.connection().getDatabase());
        assertEquals("backup", p.connection().getUsername());
        assertEquals("s3cr3t-pg", p.connection().getPassword());
        assertEquals(SslMode.VERIFY_FULL, p.connection().getSslMode());
        assertEquals(List.of("--exclude-table-data=audit.*", "--no-comments"), p.extraOptions());
        StorageSettings s = p.storage();
        assertEquals(StorageSettings.builder(StorageSettings.Provider.CLOUDFLARE_R2).bucket("backups")
                .prefix("postgres/prod").endpoint("https://acc.r2.cloudflarestorage.com").region("auto")
                .pathStyle(true).checksumWhenRequired(true).credentials("AKIAR2", "r2-secret-key").build(), s);
        assertEquals("jenkins:job#7", p.backupBy());
        assertEquals(List.of("pg-prod", "r2-keys"), credentials.looked);
        assertEquals(Messages.Purpose_Connection("prod"), p.source());
        assertEquals("/usr/local/bin:/usr/bin", p.searchPath());
    }

    @Test
    void defaultsComeFromTheGlobalConfiguration() throws AbortException {
        settings.timeoutMinutes = 45;
        settings.format = "directory";
        settings.compression = "gzip:9";
        settings.versionCacheHours = 6;
        settings.toolRoots = List.of("/opt/pg");
        BackupPlan p = map(named());
        assertEquals(45, p.timeoutMinutes());
        assertEquals(DumpFormat.DIRECTORY, p.format());
        assertEquals(Compression.of(Compression.Algorithm.GZIP, 9), p.compression());
        assertEquals(6, p.versionCacheHours());
        assertEquals(List.of("/opt/pg"), p.toolSearchRoots());
        assertEquals(1, p.jobs());
    }

    @Test
    void stepOptionsOverrideTheDefaults() throws AbortException {
        settings.format = "plain";
        settings.compression = "gzip:9";
        BackupOptions o = named();
        o.setFormat("directory");
        o.setCompression("zstd:5");
        o.setJobs(4);
        o.setTimeoutMinutes(90);
        BackupPlan p = map(o);
        assertEquals(DumpFormat.DIRECTORY, p.format());
        assertEquals(Compression.of(Compression.Algorithm.ZSTD, 5), p.compression());
        assertEquals(4, p.jobs());
        assertEquals(90, p.timeoutMinutes());
    }

    @Test
    void nothingSetLeavesFormatAndCompressionToThePolicy() throws AbortException {
        BackupOptions o = named();
        o.setCompression("auto");
        BackupPlan p = map(o);
        assertNull(p.format());
        assertNull(p.compression());
    }

    @Test
    void parallelJobsNeedTheDirectoryFormat() {
        BackupOptions o = named();
        o.setJobs(4);
        AbortException e = assertThrows(AbortException.class, () -> map(o));
        assertEquals(Messages.Mapping_JobsNeedDirectory(4, "custom"), e.getMessage());
    }

    @Test
    void badValuesNameTheOptionAndTheRule() {
        BackupOptions o = named();
        o.setCompression("brotli");
        AbortException e = assertThrows(AbortException.class, () -> map(o));
        assertEquals(Messages.Mapping_Invalid("compression",
                io.jenkins.plugins.pgbackup.config.Messages.Validation_CompressionInvalid("brotli")), e.getMessage());

        BackupOptions t = named();
        t.setTimeoutMinutes(0);
        AbortException te = assertThrows(AbortException.class, () -> map(t));
        assertEquals(Messages.Mapping_Invalid("timeoutMinutes", io.jenkins.plugins.pgbackup.config.Messages
                .Validation_TimeoutRange(ConfigValidation.MAX_TIMEOUT_MINUTES)), te.getMessage());
    }

    @Test
    void inlineDatabaseAndStorageNeedTheirCredentials() throws AbortException {
        BackupOptions o = new BackupOptions();
        o.setHost("10.0.0.5");
        o.setDatabase("my app");
        o.setCredentialsId("pg-inline");
        o.setBucket("backups");
        o.setStorageCredentialsId("aws");
        o.setRegion("eu-central-1");
        BackupPlan p = map(o);
        assertEquals("10.0.0.5:5432/my app", p.connection().serverKey());
        assertEquals("inline-user", p.connection().getUsername());
        assertEquals(SslMode.PREFER, p.connection().getSslMode());
        assertEquals(List.of(), p.extraOptions());
        assertEquals(StorageSettings.builder(StorageSettings.Provider.AMAZON_S3).bucket("backups")
                .region("eu-central-1").pathStyle(false).checksumWhenRequired(false)
                .credentials("AKIAAWS", "aws-secret").build(), p.storage());
        assertEquals(Messages.Purpose_InlineDatabase("10.0.0.5:5432/my app"), p.source());
    }

    @Test
    void inlineStorageOnAnotherServiceSendsChecksumsOnlyWhenRequired() throws AbortException {
        BackupOptions o = named();
        o.setStorage(null);
        o.setBucket("local");
        o.setEndpoint("http://127.0.0.1:9000");
        o.setPathStyle(true);
        o.setPrefix("/nightly/");
        o.setStorageCredentialsId("aws");
        StorageSettings s = map(o).storage();
        assertEquals(StorageSettings.Provider.S3_COMPATIBLE, s.getProvider());
        assertTrue(s.isPathStyle());
        assertTrue(s.isChecksumWhenRequired());
        assertEquals("nightly", s.getPrefix());
        assertEquals(StorageSettings.DEFAULT_REGION, s.getRegion());
    }

    @Test
    void aNamedTargetCanTurnChecksumModeOff() throws AbortException {
        settings.targets.get(0).setChecksumMode(ChecksumMode.OFF);
        assertFalse(map(named()).storage().isChecksumWhenRequired());
    }

    @Test
    void namedAndInlineTogetherIsRefused() {
        BackupOptions o = named();
        o.setHost("other");
        AbortException e = assertThrows(AbortException.class, () -> map(o));
        assertEquals(Messages.Mapping_DatabaseBoth("prod"), e.getMessage());

        BackupOptions s = named();
        s.setBucket("other");
        AbortException se = assertThrows(AbortException.class, () -> map(s));
        assertEquals(Messages.Mapping_StorageBoth("r2"), se.getMessage());
    }

    @Test
    void whoUsesTheKeysIsTheTargetsOwnSettingAndAJobCannotChangeIt() throws AbortException {
        assertEquals(StorageAccess.CONTROLLER_SIGNS,
                CommonMapping.storage(named(), settings, credentials).access(), "a new target");
        settings.targets.get(0).setAccess(StorageAccess.AGENT_KEYS);
        assertEquals(StorageAccess.AGENT_KEYS, CommonMapping.storage(named(), settings, credentials).access());
        BackupOptions override = named();
        override.setStorageAccess("agent");
        assertEquals(Messages.Mapping_StorageBoth("r2"),
                assertThrows(AbortException.class, () -> map(override)).getMessage());
    }

    @Test
    void inlineStorageHandsTheAgentTheKeysUnlessTheControllerIsAskedToSign() throws AbortException {
        BackupOptions o = named();
        o.setStorage(null);
        o.setBucket("backups");
        o.setEndpoint("http://127.0.0.1:9000");
        o.setStorageCredentialsId("aws");
        assertEquals(StorageAccess.AGENT_KEYS, CommonMapping.storage(o, settings, credentials).access(),
                "what inline storage always did");
        o.setStorageAccess(" controller ");
        assertEquals(StorageAccess.CONTROLLER_SIGNS, CommonMapping.storage(o, settings, credentials).access());
        o.setStorageAccess("both");
        assertEquals("storageAccess: Storage access must be 'controller' or 'agent', not 'both'",
                assertThrows(AbortException.class, () -> map(o)).getMessage());
    }

    @Test
    void missingDatabaseOrStorageSaysWhatToGive() {
        BackupOptions o = new BackupOptions();
        o.setStorage("r2");
        assertEquals(Messages.Mapping_DatabaseMissing(), assertThrows(AbortException.class, () -> map(o)).getMessage());
        BackupOptions s = new BackupOptions();
        s.setConnection("prod");
        assertEquals(Messages.Mapping_StorageMissing(), assertThrows(AbortException.class, () -> map(s)).getMessage());
        BackupOptions partial = new BackupOptions();
        partial.setHost("db");
        partial.setDatabase("app");
        partial.setStorage("r2");
        assertEquals(Messages.Mapping_InlineDatabaseMissing("credentialsId"),
                assertThrows(AbortException.class, () -> map(partial)).getMessage());
    }

    @Test
    void unknownNamesListWhatIsConfigured() {
        BackupOptions o = named();
        o.setConnection("staging");
        assertEquals(Messages.Mapping_UnknownConnection("staging", "'prod'"),
                assertThrows(AbortException.class, () -> map(o)).getMessage());
        settings.targets.clear();
        assertEquals(Messages.Mapping_UnknownStorage("r2", Messages.Mapping_NoneConfigured()),
                assertThrows(AbortException.class, () -> map(named())).getMessage());
    }

    @Test
    void aConfiguredEntryWithAnInvalidFieldIsRefusedByTheStepThatNamesIt() {
        settings.targets.get(0).setEndpoint("https://ACCOUNT_ID.r2.cloudflarestorage.com");
        AbortException e = assertThrows(AbortException.class, () -> map(named()));
        assertTrue(e.getMessage().startsWith("Correct the storage target 'r2' under Manage Jenkins"), e.getMessage());
        assertTrue(e.getMessage().contains("'ACCOUNT_ID.r2.cloudflarestorage.com' is not a host name"), e.getMessage());

        settings.targets.get(0).setEndpoint("https://acc.r2.cloudflarestorage.com");
        settings.connections.get(0).setPort(0);
        AbortException c = assertThrows(AbortException.class, () -> map(named()));
        assertEquals(Messages.Mapping_ConfiguredInvalid(Messages.Purpose_Connection("prod"),
                io.jenkins.plugins.pgbackup.config.Messages.Validation_PortRange()), c.getMessage());
    }

    @Test
    void missingCredentialsSayWhichAndWhatFor() {
        credentials.usernamePasswords.remove("r2-keys");
        AbortException e = assertThrows(AbortException.class, () -> map(named()));
        assertEquals(Messages.Credentials_NotFound("r2-keys", Messages.Purpose_Storage("r2")), e.getMessage());
    }

    @Test
    void theStepPinsTheVersionOverTheConnection() throws AbortException {
        settings.connections.get(0).setPostgresVersion("15");
        assertEquals(PostgresVersion.ofMajor(15), map(named()).pinnedVersion());
        BackupOptions o = named();
        o.setPostgresVersion("9.6");
        assertEquals(PostgresVersion.parse("9.6"), map(o).pinnedVersion());
        BackupOptions latest = named();
        latest.setPostgresVersion("latest");
        assertNull(map(latest).pinnedVersion(), "latest detects even when the connection pins");
        BackupOptions bad = named();
        bad.setPostgresVersion("x");
        assertThrows(AbortException.class, () -> map(bad));
    }

    @Test
    void retentionMergesGlobalTargetAndStep() throws AbortException {
        RetentionSettings global = new RetentionSettings();
        global.setKeepLast(30);
        global.setKeepDays(90);
        global.setMinKept(3);
        settings.retention = global;
        RetentionSettings target = new RetentionSettings();
        target.setKeepDays(0);
        target.setKeepWeekly(8);
        settings.targets.get(0).setRetention(target);
        BackupOptions o = named();
        o.setKeepLast(7);
        o.setKeepMonthly(12);
        RetentionRules r = map(o).retention();
        assertEquals(new RetentionRules(7, null, null, 8, 12, 3, false, 24), r);
    }

    @Test
    void noRulesAnywhereMeansNothingIsPruned() throws AbortException {
        RetentionRules r = map(named()).retention();
        assertTrue(r.isEmpty());
        assertEquals(RetentionRules.DEFAULT_MIN_KEPT, r.minKept());
    }

    @Test
    void theGraceForLeftoversComesFromTheTargetElseTheGlobalSettingsElse24HoursAndReachesTheEngine()
            throws AbortException {
        assertEquals(Duration.ofHours(24), map(named()).retention().toPolicy().getUnfinishedGrace());
        RetentionSettings global = new RetentionSettings();
        global.setUnfinishedGraceHours(72);
        settings.retention = global;
        assertEquals(72, map(named()).retention().unfinishedGraceHours());
        RetentionSettings target = new RetentionSettings();
        target.setUnfinishedGraceHours(6);
        settings.targets.get(0).setRetention(target);
        RetentionRules r = map(named()).retention();
        assertEquals(6, r.unfinishedGraceHours());
        assertTrue(r.isEmpty(), "a grace is no keep rule: every backup stays");
        assertEquals(Duration.ofHours(6), r.toPolicy().getUnfinishedGrace());
    }

    @Test
    void dryRunAtAnyLevelWins() throws AbortException {
        RetentionSettings global = new RetentionSettings();
        global.setDryRun(true);
        settings.retention = global;
        assertTrue(map(named()).retention().dryRun());
        settings.retention = null;
        BackupOptions o = named();
        o.setRetentionDryRun(true);
        assertTrue(map(o).retention().dryRun());
    }

    @Test
    void negativeRetentionIsRefused() {
        BackupOptions o = named();
        o.setKeepLast(-1);
        assertEquals(Messages.Mapping_Invalid("keepLast",
                io.jenkins.plugins.pgbackup.config.Messages.Validation_NotNegative()),
                assertThrows(AbortException.class, () -> map(o)).getMessage());
    }

    @Test
    void notificationsNeedDiscordAndNoOptOut() throws AbortException {
        assertFalse(map(named()).notifyDiscord(), "no Discord configured");
        settings.discord = new DiscordNotification("hook");
        assertTrue(map(named()).notifyDiscord());
        BackupOptions quiet = named();
        quiet.setNotify(false);
        assertFalse(map(quiet).notifyDiscord());
    }

    @Test
    void thePlansSecretsAreThePasswordAndTheSecretKey() throws AbortException {
        BackupPlan p = map(named());
        assertEquals(List.of("s3cr3t-pg", "r2-secret-key"), p.secrets());
        assertFalse(p.toString().contains("s3cr3t-pg"), p.toString());
        assertFalse(p.toString().contains("r2-secret-key"), p.toString());
    }

    @Test
    void amazonS3MayUseTheAgentsOwnCredentials() throws AbortException {
        BackupOptions o = named();
        o.setStorage(null);
        o.setBucket("backups");
        o.setRegion("eu-west-1");
        StorageSettings s = map(o).storage();
        assertEquals("", s.getAccessKeyId());
        assertEquals(List.of("s3cr3t-pg"), map(o).secrets());
        BackupOptions compatible = named();
        compatible.setStorage(null);
        compatible.setBucket("backups");
        compatible.setEndpoint("http://127.0.0.1:9000");
        assertEquals(Messages.Mapping_InlineStorageMissing("storageCredentialsId"),
                assertThrows(AbortException.class, () -> map(compatible)).getMessage());
    }

    @Test
    void theEngineRequestCarriesEveryDecision() throws AbortException {
        RetentionSettings global = new RetentionSettings();
        global.setKeepLast(5);
        global.setDryRun(true);
        settings.retention = global;
        settings.toolRoots = List.of("/opt/pg");
        settings.versionCacheHours = 6;
        BackupOptions o = named();
        o.setFormat("directory");
        o.setJobs(3);
        o.setCompression("gzip:4");
        o.setPostgresVersion("16");
        o.setTimeoutMinutes(12);
        BackupPlan plan = map(o);
        VersionCacheStore.Entry cached = new VersionCacheStore.Entry(plan.connection().serverKey(), 160004,
                "PostgreSQL 16.4", 1_700_000_000_000L);
        BackupRequest r = BackupRequestMapper.toRequest(plan, List.of(cached), ":");
        assertEquals(plan.connection(), r.getConnection());
        assertEquals(plan.storage(), r.getStorage());
        assertEquals(DumpFormat.DIRECTORY, r.getFormat());
        assertEquals(Compression.of(Compression.Algorithm.GZIP, 4), r.getCompression());
        assertEquals(3, r.getJobs());
        assertEquals(Duration.ofMinutes(12), r.getTimeout());
        assertEquals(PostgresVersion.ofMajor(16), r.getPinnedVersion());
        assertEquals(List.of("/opt/pg"), r.getToolRoots());
        assertEquals(List.of("--exclude-table-data=audit.*", "--no-comments"), r.getExtraDumpOptions());
        assertEquals("jenkins:job#7", r.getBackupBy());
        assertEquals(5, r.getRetention().getKeepLast());
        assertTrue(r.getRetention().isDryRun());
        assertEquals(1, r.getRetention().getMinimumKept());
        assertEquals(Duration.ofHours(6), r.getVersionCacheTtl());
        assertEquals(160004, r.getCachedVersions().entries().get(plan.connection().serverKey()).version()
                .versionNum());
        List<String> dirs = r.toolLocations().candidates("16");
        assertEquals(List.of("/usr/local/bin", "/usr/bin"), dirs.subList(dirs.size() - 2, dirs.size()),
                "the build's PATH is searched last");
        assertTrue(dirs.contains("/opt/pg/16/bin"), dirs.toString());
    }
}
