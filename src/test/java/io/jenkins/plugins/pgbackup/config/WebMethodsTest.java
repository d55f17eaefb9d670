package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;
import jenkins.model.Jenkins;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The side-effecting web methods ("Test connection") only answer POST requests with a crumb, and only to users who may
 * administer Jenkins: they connect from the controller with any credentials id they are given.
 */
@WithJenkins
class WebMethodsTest {

    private static final String DATABASE =
            "descriptorByName/" + DatabaseConnection.class.getName() + "/testConnection";
    private static final String STORAGE = "descriptorByName/" + StorageTarget.class.getName() + "/testConnection";

    @Test
    void testConnectionIsNotAvailableByGet(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient();
        wc.assertFails(DATABASE + "?host=db&database=app&credentialsId=x", 404);
        wc.assertFails(STORAGE + "?bucket=backups&credentialsId=x", 404);
    }

    @Test
    void testConnectionByPostReportsMissingCredentialsWithoutTryingToConnect(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient();
        WebRequest req = new WebRequest(new URL(r.getURL(), DATABASE), HttpMethod.POST);
        req.setRequestParameters(List.of(new NameValuePair("host", "db.invalid"), new NameValuePair("port", "5432"),
                new NameValuePair("database", "app"), new NameValuePair("credentialsId", "nope"),
                new NameValuePair("sslMode", "")));
        wc.addCrumb(req);
        WebResponse rsp = wc.getPage(req).getWebResponse();
        assertEquals(200, rsp.getStatusCode());
        String body = rsp.getContentAsString();
        assertTrue(body.contains("nope"), body);
        assertTrue(body.contains("error"), body);
    }

    @Test
    void aUserWhoMayNotAdministerIsRefusedByBothTestConnectionMethods(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("reader")
                .grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        for (String method : List.of(DATABASE, STORAGE)) {
            assertEquals(403, post(r, "reader", method), method);
            // The same request with the same kind of crumb is answered for an administrator: the 403 is the permission.
            assertEquals(200, post(r, "admin", method), method);
        }
    }

    /** A Test connection with a credentials id that does not exist: answered without connecting anywhere. */
    private static int post(JenkinsRule r, String user, String method) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login(user);
        WebRequest req = new WebRequest(new URL(r.getURL(), method), HttpMethod.POST);
        req.setRequestParameters(List.of(new NameValuePair("host", "db.invalid"), new NameValuePair("port", "5432"),
                new NameValuePair("database", "app"), new NameValuePair("bucket", "backups"),
                new NameValuePair("credentialsId", "nope"), new NameValuePair("sslMode", "")));
        wc.addCrumb(req);
        return wc.getPage(req).getWebResponse().getStatusCode();
    }
}
