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
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The side-effecting web methods ("Test connection") only answer POST requests with a crumb.
 *
 * <p>The refusal of users without Administer is not tested here: that needs a security realm and an authorization
 * strategy ({@code Jenkins#setSecurityRealm}, {@code Jenkins#setAuthorizationStrategy},
 * {@code JenkinsRule#createDummySecurityRealm}, {@code MockAuthorizationStrategy}), which the API stand-in this
 * project compiles against does not declare. The methods call {@code Jenkins.get().checkPermission(ADMINISTER)}
 * first thing.
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
}
