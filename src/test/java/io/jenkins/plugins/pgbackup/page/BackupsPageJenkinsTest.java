package io.jenkins.plugins.pgbackup.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.StorageProvider;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.testing.BackupSeeder;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The page on a real Jenkins: a reader sees backups (with the restore snippet) but no "Check now"; an administrator
 * sees and can use it; a user without Overall/Read gets 403; a target that cannot be read shows its error beside the
 * working one.
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

    @Test
    void aUserWithoutOverallReadGets403(JenkinsRule r) throws Exception {
        configure(r);
        JenkinsRule.WebClient wc = r.createWebClient().login("nobody");
        wc.assertFails(BackupsPage.URL_NAME + "/", 403);
    }
}
