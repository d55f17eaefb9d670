package io.jenkins.plugins.pgbackup.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.ExtensionList;
import hudson.model.ManagementLink;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.StorageProvider;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.testing.BackupSeeder;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jenkins.management.Badge;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The page on a real Jenkins: a reader sees backups (with the restore snippet) but no "Check now"; an administrator
 * sees and can use it; a user without Overall/Read gets 403; a target that cannot be read shows its error beside the
 * working one. The link under Manage Jenkins with its badge, the administrative monitor and its dismissal, and the
 * periodic check's task log.
 */
@WithJenkins
class BackupsPageJenkinsTest {
    private static S3ProxyServer s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    /** Two targets (S3Proxy and one that refuses connections), backups of "app" (fresh) and "billing" (stale). */
    private static String configure(JenkinsRule r) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "s3", "S3Proxy", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
        SystemCredentialsProvider.getInstance().save();
        String bucket = s3.createBucket();
        String key = BackupSeeder.putBackup(s3.client(), bucket, "pg", "app", Instant.now().minus(Duration.ofHours(2)));
        BackupSeeder.putBackup(s3.client(), bucket, "pg", "billing", Instant.now().minus(Duration.ofHours(50)));
        StorageTarget good = new StorageTarget("s3proxy", bucket, "s3");
        good.setProvider(StorageProvider.S3_COMPATIBLE);
        good.setEndpoint(s3.endpoint().toString());
        good.setPathStyle(true);
        good.setPrefix("pg");
        StorageTarget down = new StorageTarget("down", "gone", "s3");
        down.setProvider(StorageProvider.S3_COMPATIBLE);
        down.setEndpoint("http://127.0.0.1:9");
        down.setPathStyle(true);
        DatabaseConnection billing = new DatabaseConnection("prod-billing", "db.invalid", "billing", "s3");
        billing.setMaxBackupAgeHours(24);
        billing.setFreshnessStorage("s3proxy");
        PgBackupGlobalConfiguration c = PgBackupGlobalConfiguration.get();
        c.setStorageTargets(List.of(good, down));
        c.setConnections(List.of(billing));
        c.save();
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("reader")
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        return key;
    }

    @Test
    void aReaderSeesTheBackupsAndTheRestoreSnippetButNoCheckButton(JenkinsRule r) throws Exception {
        String key = configure(r);
        HtmlPage page = r.createWebClient().login("reader").goTo(BackupsPage.URL_NAME + "/");
        String text = page.asNormalizedText();
        assertTrue(text.contains("PostgreSQL Backups"), text);
        assertTrue(text.contains("Storage target 's3proxy'"), text);
        assertTrue(text.contains("pgRestore storage: 's3proxy', key: '" + key + "', connection: 'TARGET-CONNECTION'"),
                text);
        assertTrue(text.contains("STALE"), text); // billing: 50 h old, 24 h allowed
        assertTrue(text.contains("This storage target could not be read"), text); // "down", beside the working one
        assertFalse(text.contains(S3ProxyServer.SECRET_KEY));
        assertEquals(0, page.getByXPath("//form[@name='checkNow']").size());
    }

    @Test
    void anAdministratorSeesAndRunsCheckNow(JenkinsRule r) throws Exception {
        configure(r);
        JenkinsRule.WebClient wc = r.createWebClient().login("admin");
        HtmlPage page = wc.goTo(BackupsPage.URL_NAME + "/");
        assertEquals(1, page.getByXPath("//form[@name='checkNow']").size());
        WebRequest post = new WebRequest(new URL(r.getURL(), BackupsPage.URL_NAME + "/checkNow"), HttpMethod.POST);
        wc.addCrumb(post);
        HtmlPage after = wc.getPage(post);
        String text = after.asNormalizedText();
        assertTrue(text.contains("Backup alarm, STALE: connection 'prod-billing'"), text);
        assertTrue(text.contains("Last freshness check:"), text);
    }

    @Test
    void aReaderCannotRunCheckNow(JenkinsRule r) throws Exception {
        configure(r);
        JenkinsRule.WebClient wc = r.createWebClient().login("reader").withThrowExceptionOnFailingStatusCode(false);
        WebRequest post = new WebRequest(new URL(r.getURL(), BackupsPage.URL_NAME + "/checkNow"), HttpMethod.POST);
        wc.addCrumb(post);
        assertEquals(403, wc.getPage(post).getWebResponse().getStatusCode());
    }

    /**
     * Signed in with an API token: the login form would redirect to {@code /}, which this user may not read either,
     * and fail before the page is asked for.
     */
    @Test
    void aUserWithoutOverallReadGets403(JenkinsRule r) throws Exception {
        configure(r);
        JenkinsRule.WebClient wc = r.createWebClient().withBasicApiToken("nobody");
        wc.assertFails(BackupsPage.URL_NAME + "/", 403);
        wc.assertFails("manage/" + BackupsPage.URL_NAME + "/", 403);
    }

    @Test
    void theLinkIsUnderManageJenkinsAndCarriesABadgeWhileAnAlarmIsOn(JenkinsRule r) throws Exception {
        configure(r);
        BackupsPage link = ExtensionList.lookupSingleton(BackupsPage.class);
        assertEquals(ManagementLink.Category.STATUS, link.getCategory());
        JenkinsRule.WebClient wc = r.createWebClient().login("admin");
        HtmlPage manage = wc.goTo("manage/");
        List<HtmlAnchor> links = manage.getAnchors().stream()
                .filter(a -> a.getHrefAttribute().endsWith(BackupsPage.URL_NAME)
                        || a.getHrefAttribute().endsWith(BackupsPage.URL_NAME + "/"))
                .toList();
        assertFalse(links.isEmpty(), manage.asXml());
        assertTrue(manage.asNormalizedText().contains("PostgreSQL Backups"));
        assertNull(link.getBadge(), "no check yet, no badge");
        FreshnessService.get().checkNow(); // billing is 50 h old, 24 h allowed
        Badge badge = link.getBadge();
        assertNotNull(badge);
        assertEquals("1", badge.getText());
        assertEquals("danger", badge.getSeverity());
        // through the link, as an administrator finds it
        HtmlPage page = wc.goTo("manage/" + BackupsPage.URL_NAME + "/");
        assertTrue(page.asNormalizedText().contains("Backup alarm, STALE: connection 'prod-billing'"));
    }

    @Test
    void theMonitorShowsAStaleBackupToAdministratorsAndCanBeDismissed(JenkinsRule r) throws Exception {
        configure(r);
        FreshnessMonitor monitor = ExtensionList.lookupSingleton(FreshnessMonitor.class);
        assertFalse(monitor.isActivated(), "no check yet");
        FreshnessService.get().checkNow();
        assertTrue(monitor.isActivated());
        assertTrue(monitor.isEnabled());

        JenkinsRule.WebClient admin = r.createWebClient().login("admin");
        String manage = admin.goTo("manage/").asNormalizedText();
        assertTrue(manage.contains("PostgreSQL backups are stale or missing"), manage);
        assertTrue(manage.contains("prod-billing: STALE"), manage);

        JenkinsRule.WebClient reader = r.createWebClient().login("reader").withThrowExceptionOnFailingStatusCode(false);
        WebRequest readerDismiss = act(r, monitor);
        reader.addCrumb(readerDismiss);
        assertEquals(403, reader.getPage(readerDismiss).getWebResponse().getStatusCode());
        assertTrue(monitor.isActivated());

        WebRequest dismiss = act(r, monitor);
        admin.addCrumb(dismiss);
        admin.getPage(dismiss);
        assertFalse(monitor.isActivated());
        assertFalse(admin.goTo("manage/").asNormalizedText().contains("PostgreSQL backups are stale or missing"));
        FreshnessService.get().checkNow(); // still the same alarm: still dismissed
        assertFalse(monitor.isActivated());
        // the page still tells the whole story
        assertTrue(admin.goTo(BackupsPage.URL_NAME + "/").asNormalizedText()
                .contains("Backup alarm, STALE: connection 'prod-billing'"));
    }

    private static WebRequest act(JenkinsRule r, FreshnessMonitor monitor) throws Exception {
        WebRequest post = new WebRequest(new URL(r.getURL(), monitor.getUrl() + "/act"), HttpMethod.POST);
        post.setRequestParameters(List.of(new NameValuePair("dismiss", "Dismiss")));
        return post;
    }

    @Test
    void thePeriodicCheckRunsAndWritesItsTaskLog(JenkinsRule r) throws Exception {
        configure(r);
        Path log = r.jenkins.getRootDir().toPath().resolve("logs/tasks/" + FreshnessService.TASK_NAME + ".log");
        assertEquals(log, FreshnessService.taskLog().getFile());
        Files.deleteIfExists(log);
        FreshnessService.get().runPeriodic();
        String text = Files.readString(log);
        assertTrue(text.startsWith("Started at "), text);
        assertTrue(text.contains("STALE prod-billing (database billing in storage 's3proxy', at most 24 h)"), text);
        assertTrue(text.contains("Finished at "), text);
        assertNotNull(FreshnessService.get().getLast());
        assertTrue(ExtensionList.lookupSingleton(FreshnessMonitor.class).isActivated());
    }
}
