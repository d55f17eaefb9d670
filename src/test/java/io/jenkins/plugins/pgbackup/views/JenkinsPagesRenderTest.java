package io.jenkins.plugins.pgbackup.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Jenkins' own pages render with this plugin's test class path: the page half of the check that the original JEXL
 * never shadows core's fork (the other half, {@link JellyViewsTest}, runs in the same build). With the original on the
 * class path, core's layouts ({@code attrs.managementLink ?: it}) fail to compile: the login form is missing and
 * {@code /configure} answers 500.
 */
@WithJenkins
class JenkinsPagesRenderTest {

    @Test
    void theLoginFormAndTheSystemConfigurationWithThisPluginsSectionRender(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(
                new MockAuthorizationStrategy().grant(Jenkins.ADMINISTER).everywhere().to("admin"));
        JenkinsRule.WebClient wc = r.createWebClient();
        HtmlPage login = wc.goTo("login");
        assertEquals(200, login.getWebResponse().getStatusCode());
        assertTrue(login.getElementsByName("j_username").size() > 0, login.asXml());

        HtmlPage configure = wc.login("admin").goTo("configure");
        assertEquals(200, configure.getWebResponse().getStatusCode());
        assertTrue(configure.asNormalizedText().contains("PostgreSQL Backup"), configure.asNormalizedText());
        assertEquals(200, wc.goTo("manage").getWebResponse().getStatusCode());
    }
}
