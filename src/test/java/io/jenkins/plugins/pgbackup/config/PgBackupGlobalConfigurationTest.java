package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Descriptor;
import hudson.util.Secret;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import net.sf.json.JSONObject;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.kohsuke.stapler.Stapler;

/** The global configuration through the form, on disk, and as Configuration as Code sets it (data-bound setters). */
@WithJenkins
class PgBackupGlobalConfigurationTest {

    private static void addCredentials() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "pg-prod", "prod database", "backup", "s3cr3t"));
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "r2-keys", "R2 keys", "AKIAR2", "r2-secret"));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "discord", "webhook", Secret.fromString("https://discord.test/api/x")));
        // Only its id is configured; the form's dropdown must list it for the round trip to keep it.
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "age-identity", "restore key", Secret.fromString("AGE-SECRET-KEY-1TEST")));
        SystemCredentialsProvider.getInstance().save();
    }

    /** Everything set the way Configuration as Code does: constructors and data-bound setters. */
    private static void configureLikeCasc(PgBackupGlobalConfiguration c) {
        DatabaseConnection prod = new DatabaseConnection("prod", "db.example.com", "app", "pg-prod");
        prod.setPort(6432);
        prod.setSslMode("require");
        prod.setPostgresVersion("16");
        prod.setExtraOptions("--no-comments");
        StorageTarget r2 = new StorageTarget("r2", "backups", "r2-keys");
        r2.setProvider(StorageProvider.CLOUDFLARE_R2);
        r2.setEndpoint("https://acc.r2.cloudflarestorage.com");
        r2.setPrefix("postgres");
        r2.setChecksumMode(ChecksumMode.ON);
        r2.setAgeRecipients("age1q3vpqdcjw586vr3jr96053wdl5z0ummrh7uprz3zwdz0ayrv2f0smhvtx5");
        r2.setAgeIdentityCredentialsId("age-identity");
        RetentionSettings targetRetention = new RetentionSettings();
        targetRetention.setKeepLast(14);
        targetRetention.setUnfinishedGraceHours(6);
        r2.setRetention(targetRetention);
        DiscordNotification discord = new DiscordNotification("discord");
        discord.setNotifyOnSuccess(false);
        RetentionSettings global = new RetentionSettings();
        global.setKeepDays(30);
        global.setKeepMonthly(12);
        global.setMinKept(2);
        global.setUnfinishedGraceHours(48);
        c.setConnections(List.of(prod));
        c.setStorageTargets(List.of(r2));
        c.setDiscord(discord);
        c.setTimeoutMinutes(45);
        c.setFormat("directory");
        c.setCompression("zstd:5");
        c.setRetention(global);
        c.setVersionCacheHours(12);
        c.setToolSearchRoots("/opt/pg\n\n/usr/local/pgsql\n");
    }

    private static void assertConfigured(JenkinsRule r, PgBackupGlobalConfiguration expected,
            PgBackupGlobalConfiguration actual) throws Exception {
        r.assertEqualDataBoundBeans(expected.getConnections(), actual.getConnections());
        r.assertEqualDataBoundBeans(expected.getStorageTargets(), actual.getStorageTargets());
        r.assertEqualDataBoundBeans(expected.getDiscord(), actual.getDiscord());
        r.assertEqualDataBoundBeans(expected.getRetention(), actual.getRetention());
        assertEquals(expected.getConnections(), actual.getConnections());
        assertEquals(expected.getStorageTargets(), actual.getStorageTargets());
        assertEquals(45, actual.getTimeoutMinutes());
        assertEquals("directory", actual.getFormat());
        assertEquals("zstd:5", actual.getCompression());
        assertEquals(12, actual.getVersionCacheHours());
        assertEquals(48, actual.getRetention().getUnfinishedGraceHours());
        assertEquals(6, actual.getStorageTargets().get(0).getRetention().getUnfinishedGraceHours());
        assertEquals(List.of("/opt/pg", "/usr/local/pgsql"), actual.getToolSearchRootList());
    }

    @Test
    void defaultsBeforeAnythingIsConfigured(JenkinsRule r) {
        PgBackupGlobalConfiguration c = PgBackupGlobalConfiguration.get();
        assertEquals(30, c.getTimeoutMinutes());
        assertEquals(24, c.getVersionCacheHours());
        assertEquals(List.of(), c.getConnections());
        assertNull(c.getDiscord());
        assertNull(c.getFormat());
    }

    @Test
    void theFormRoundTripKeepsEveryValue(JenkinsRule r) throws Exception {
        addCredentials();
        PgBackupGlobalConfiguration c = PgBackupGlobalConfiguration.get();
        configureLikeCasc(c);
        r.configRoundtrip();
        assertConfigured(r, c, PgBackupGlobalConfiguration.get());
    }

    @Test
    void aFormWithoutListsOrOptionalBlocksClearsThem(JenkinsRule r) throws Exception {
        PgBackupGlobalConfiguration c = PgBackupGlobalConfiguration.get();
        configureLikeCasc(c);
        // an emptied repeatable or an unchecked optional block sends no key at all
        JSONObject form = new JSONObject().element("timeoutMinutes", 20);
        r.executeOnServer(() -> c.configure(Stapler.getCurrentRequest2(), form));
        PgBackupGlobalConfiguration reloaded = new PgBackupGlobalConfiguration();
        assertEquals(List.of(), reloaded.getConnections());
        assertEquals(List.of(), reloaded.getStorageTargets());
        assertNull(reloaded.getDiscord());
        assertNull(reloaded.getRetention());
        assertEquals(20, reloaded.getTimeoutMinutes());
    }

    @Test
    void aRefusedFormKeepsTheConfiguration(JenkinsRule r) throws Exception {
        PgBackupGlobalConfiguration c = PgBackupGlobalConfiguration.get();
        configureLikeCasc(c);
        JSONObject form = new JSONObject().element("timeoutMinutes", 0);
        assertThrows(Descriptor.FormException.class,
                () -> r.executeOnServer(() -> c.configure(Stapler.getCurrentRequest2(), form)));
        assertEquals(1, c.getConnections().size());
        assertEquals(45, c.getTimeoutMinutes());
    }

    @Test
    void cascStyleSettersSaveAndSurviveALoad(JenkinsRule r) throws Exception {
        PgBackupGlobalConfiguration c = PgBackupGlobalConfiguration.get();
        configureLikeCasc(c);
        PgBackupGlobalConfiguration reloaded = new PgBackupGlobalConfiguration();
        assertConfigured(r, c, reloaded);
    }

    @Test
    void cascStyleSettersRefuseInvalidValuesAndKeepTheOldOnes(JenkinsRule r) {
        PgBackupGlobalConfiguration c = PgBackupGlobalConfiguration.get();
        configureLikeCasc(c);
        DatabaseConnection duplicate = new DatabaseConnection("prod", "other", "app", "pg-prod");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.setConnections(List.of(c.getConnections().get(0), duplicate)));
        assertEquals(Messages.Validation_NameDuplicate("prod"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.setTimeoutMinutes(0));
        assertThrows(IllegalArgumentException.class, () -> c.setCompression("brotli"));
        assertThrows(IllegalArgumentException.class, () -> c.setToolSearchRoots("relative/path"));
        PgBackupGlobalConfiguration reloaded = new PgBackupGlobalConfiguration();
        assertEquals(1, reloaded.getConnections().size());
        assertEquals("db.example.com", reloaded.getConnections().get(0).getHost());
        assertEquals(45, reloaded.getTimeoutMinutes());
        assertEquals("zstd:5", reloaded.getCompression());
    }

    @Test
    void cascKeepsAnEntryWithABadFieldForTheStepsToRefuseButTheFormRefusesIt(JenkinsRule r) throws Exception {
        PgBackupGlobalConfiguration c = PgBackupGlobalConfiguration.get();
        configureLikeCasc(c);
        StorageTarget placeholder = new StorageTarget("r2", "db-backups", "r2-keys");
        placeholder.setProvider(StorageProvider.CLOUDFLARE_R2);
        placeholder.setEndpoint("https://ACCOUNT_ID.r2.cloudflarestorage.com");
        StorageTarget badBucket = new StorageTarget("bad", "Bad_Bucket", "k");
        c.setStorageTargets(List.of(placeholder, badBucket));
        assertEquals(List.of("r2", "bad"), new PgBackupGlobalConfiguration().getStorageTargetNames());

        JSONObject form = new JSONObject().element("timeoutMinutes", 45).element("storageTargets",
                new net.sf.json.JSONArray().element(new JSONObject().element("name", "bad")
                        .element("bucket", "Bad_Bucket").element("credentialsId", "k")));
        c.setStorageTargets(List.of(placeholder));
        Descriptor.FormException e = assertThrows(Descriptor.FormException.class,
                () -> r.executeOnServer(() -> c.configure(Stapler.getCurrentRequest2(), form)));
        assertTrue(e.getMessage().startsWith("bad: "), e.getMessage());
        assertEquals(List.of("r2"), new PgBackupGlobalConfiguration().getStorageTargetNames());
    }

    @Test
    void theVersionCacheLivesInItsOwnFileAndShowsOnTheConfigPage(JenkinsRule r) throws Exception {
        addCredentials();
        PgBackupGlobalConfiguration c = PgBackupGlobalConfiguration.get();
        configureLikeCasc(c);
        DatabaseConnection prod = c.getConnections().get(0);
        ControllerVersionCache.get().store().record(new VersionCacheStore.Entry(prod.serverKey(), 170006,
                "PostgreSQL 17.6 on x86_64-pc-linux-gnu", System.currentTimeMillis()));

        File cacheFile = new File(r.jenkins.getRootDir(), ControllerVersionCache.FILE_NAME);
        assertTrue(cacheFile.isFile());
        File configFile = new File(r.jenkins.getRootDir(), PgBackupGlobalConfiguration.class.getName() + ".xml");
        String config = Files.readString(configFile.toPath(), StandardCharsets.UTF_8);
        assertTrue(config.contains("db.example.com"), config);
        assertFalse(config.contains("170006"), "the cache is not part of the configuration");

        HtmlPage page = r.createWebClient().goTo("configure");
        String text = page.asNormalizedText();
        assertTrue(text.contains("PostgreSQL 17.6, detected"), text);

        r.configRoundtrip();
        assertEquals(170006, ControllerVersionCache.get().store().get(prod.serverKey()).versionNum(),
                "saving the configuration leaves the cache alone");
    }
}
