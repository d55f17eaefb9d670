package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Pipeline Syntax: the snippet generator turns the steps' forms into the Groovy users paste, and that Groovy's
 * arguments build the same step again. {@code SnippetizerTester} lives in workflow-cps' test jar, which this build
 * cannot use; this test does what it does through the generator's web endpoint and the step descriptor's model, for
 * {@code pgBackup}, {@code pgRestore} and {@code pgVerify}.
 */
@WithJenkins
class SnippetizerTest {

    private static String generate(JenkinsRule r, String json) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient();
        WebRequest req = new WebRequest(new URL(r.getURL(), "pipeline-syntax/generateSnippet"), HttpMethod.POST);
        req.setRequestParameters(List.of(new NameValuePair("json", json)));
        wc.addCrumb(req);
        WebResponse rsp = wc.getPage(req).getWebResponse();
        assertEquals("text/plain", rsp.getContentType());
        return rsp.getContentAsString().trim();
    }

    @Test
    void backupFormBecomesAStepCall(JenkinsRule r) throws Exception {
        String snippet = generate(r, "{'stapler-class': '" + PgBackupStep.class.getName() + "', 'connection': 'prod', "
                + "'storage': 'r2', 'format': 'directory', 'jobs': '4', 'keepLast': '7', 'notify': false, "
                + "'compression': '', 'host': ''}");
        assertEquals("pgBackup connection: 'prod', format: 'directory', jobs: 4, keepLast: 7, notify: false, "
                + "storage: 'r2'", snippet);
    }

    @Test
    void inlineRestoreFormBecomesAStepCall(JenkinsRule r) throws Exception {
        String snippet = generate(r, "{'stapler-class': '" + PgRestoreStep.class.getName() + "', "
                + "'host': 'localhost', 'database': 'app_copy', 'credentialsId': 'pg', 'bucket': 'backups', "
                + "'storageCredentialsId': 'aws', 'latest': 'app', 'clean': true, 'noOwner': true}");
        assertEquals("pgRestore bucket: 'backups', clean: true, credentialsId: 'pg', database: 'app_copy', "
                + "host: 'localhost', latest: 'app', noOwner: true, storageCredentialsId: 'aws'", snippet);
    }

    @Test
    void verifyFormBecomesAStepCall(JenkinsRule r) throws Exception {
        String snippet = generate(r, "{'stapler-class': '" + PgVerifyStep.class.getName() + "', "
                + "'connection': 'staging', 'storage': 'r2', 'latest': 'app', 'key': '', 'host': '', "
                + "'scratchDatabase': 'drill_app', 'minRows': 'public.orders=1000', 'sql': 'select true', "
                + "'jobs': '2', 'notify': true, 'noOwner': true}");
        assertEquals("pgVerify connection: 'staging', jobs: 2, latest: 'app', minRows: 'public.orders=1000', "
                + "noOwner: true, scratchDatabase: 'drill_app', sql: 'select true', storage: 'r2'", snippet);
    }

    @Test
    @SuppressWarnings("deprecation") // the model methods SnippetizerTester uses through DescribableModel
    void verifyArgumentsRoundTripAndPipelineMapsAndListsBecomeTheFormsText(JenkinsRule r) throws Exception {
        PgVerifyStep verify = new PgVerifyStep();
        verify.setHost("db.example.com");
        verify.setCredentialsId("pg");
        verify.setBucket("backups");
        verify.setStorageCredentialsId("minio");
        verify.setKey("prod/app/app_20251117_150405.dump");
        verify.setScratchDatabase("drill_app");
        verify.setMinRows("public.orders=1000\npublic.items=1");
        verify.setSql("select count(*) > 0 from public.orders");
        verify.setTimeoutMinutes(30);
        verify.setNotify(false);
        assertRoundTrip(r, verify, Map.ofEntries(Map.entry("host", "db.example.com"), Map.entry("credentialsId", "pg"),
                Map.entry("bucket", "backups"), Map.entry("storageCredentialsId", "minio"),
                Map.entry("key", "prod/app/app_20251117_150405.dump"), Map.entry("scratchDatabase", "drill_app"),
                Map.entry("minRows", "public.orders=1000\npublic.items=1"),
                Map.entry("sql", "select count(*) > 0 from public.orders"), Map.entry("timeoutMinutes", 30),
                Map.entry("notify", false)));

        // as Pipeline scripts write them: minRows a map, sql a list
        Map<String, Object> scripted = new LinkedHashMap<>();
        scripted.put("connection", "staging");
        scripted.put("latest", "app");
        scripted.put("minRows", new LinkedHashMap<>(Map.of("public.orders", 1000)));
        scripted.put("sql", List.of("select true", "select count(*) > 0\n  from public.orders"));
        PgVerifyStep expected = new PgVerifyStep();
        expected.setConnection("staging");
        expected.setLatest("app");
        expected.setMinRows("public.orders=1000");
        expected.setSql("select true\nselect count(*) > 0 from public.orders");
        r.assertEqualDataBoundBeans(expected, expected.getDescriptor().newInstance(scripted));
    }

    @Test
    @SuppressWarnings("deprecation") // the model methods SnippetizerTester uses through DescribableModel
    void argumentsRoundTripToEqualSteps(JenkinsRule r) throws Exception {
        PgBackupStep backup = new PgBackupStep();
        backup.setHost("db.example.com");
        backup.setPort(6432);
        backup.setDatabase("app");
        backup.setCredentialsId("pg");
        backup.setStorage("r2");
        backup.setCompression("zstd:3");
        backup.setPostgresVersion("16");
        backup.setTimeoutMinutes(90);
        backup.setKeepDays(30);
        backup.setMinKept(2);
        backup.setRetentionDryRun(true);
        assertRoundTrip(r, backup, Map.ofEntries(Map.entry("host", "db.example.com"), Map.entry("port", 6432),
                Map.entry("database", "app"), Map.entry("credentialsId", "pg"), Map.entry("storage", "r2"),
                Map.entry("compression", "zstd:3"), Map.entry("postgresVersion", "16"),
                Map.entry("timeoutMinutes", 90), Map.entry("keepDays", 30), Map.entry("minKept", 2),
                Map.entry("retentionDryRun", true)));

        PgRestoreStep restore = new PgRestoreStep();
        restore.setConnection("staging");
        restore.setBucket("backups");
        restore.setPrefix("prod");
        restore.setEndpoint("http://127.0.0.1:9000");
        restore.setPathStyle(true);
        restore.setStorageCredentialsId("minio");
        restore.setKey("prod/app/app_20251117_150405.dump");
        restore.setCreateDatabase(true);
        restore.setSingleTransaction(true);
        restore.setNotify(false);
        assertRoundTrip(r, restore, Map.ofEntries(Map.entry("connection", "staging"), Map.entry("bucket", "backups"),
                Map.entry("prefix", "prod"), Map.entry("endpoint", "http://127.0.0.1:9000"),
                Map.entry("pathStyle", true), Map.entry("storageCredentialsId", "minio"),
                Map.entry("key", "prod/app/app_20251117_150405.dump"), Map.entry("createDatabase", true),
                Map.entry("singleTransaction", true), Map.entry("notify", false)));
    }

    @SuppressWarnings("deprecation")
    private static void assertRoundTrip(JenkinsRule r, Step step, Map<String, Object> expected) throws Exception {
        StepDescriptor d = step.getDescriptor();
        Map<String, Object> arguments = d.defineArguments(step);
        assertEquals(expected, arguments, "only what differs from the defaults is written");
        r.assertEqualDataBoundBeans(step, d.newInstance(arguments));
    }

    @Test
    void everyArgumentHasHelp(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient();
        for (Class<?> c : List.of(PgBackupStep.class, PgRestoreStep.class, PgVerifyStep.class)) {
            for (String field : HelpFilesTest.dataBoundProperties(c)) {
                WebResponse rsp = wc.goTo("descriptor/" + c.getName() + "/help/" + field, "text/html")
                        .getWebResponse();
                assertEquals(200, rsp.getStatusCode(), c.getSimpleName() + "." + field);
            }
        }
    }
}
