package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.pgbackup.action.VerifyAction;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.verify.VerifyCheck;
import java.util.List;
import java.util.UUID;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * pgVerify in a real Jenkins, on an agent: a backup verified by a Pipeline (checks as a map and a list, as the issue
 * writes them) and by a freestyle job; a failing check fails the build and is on the build page.
 */
@WithJenkins
class VerifyJenkinsTest {

    private static final int MAJOR = 17;
    private static S3ProxyServer s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    /** Credentials, a connection "shop" (its database) and "drills" (postgres), a storage target "s3proxy". */
    private static void configure(PostgresServers.Server pg, String database) throws Exception {
        JenkinsFixtures.addCredentials();
        JenkinsFixtures.configure(List.of(JenkinsFixtures.connection("shop", pg, database),
                JenkinsFixtures.connection("drills", pg, "postgres")),
                JenkinsFixtures.target(s3, s3.createBucket(), "ci", StorageAccess.AGENT_KEYS));
    }

    private static String shop(PostgresServers.Server pg) throws Exception {
        String db = "shop_" + UUID.randomUUID().toString().substring(0, 8);
        pg.createDatabase(db);
        DatabaseFingerprint.execute(pg, db, "CREATE TABLE orders (id bigint PRIMARY KEY)",
                "INSERT INTO orders SELECT generate_series(1, 500)");
        return db;
    }

    @Test
    void pipelineVerifiesTheLatestBackupAndShowsEveryCheck(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = shop(pg);
        configure(pg, db);
        r.createOnlineSlave(Label.get("pg"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "drill");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('pg') {",
                "  pgBackup connection: 'shop', storage: 's3proxy'",
                "  def v = pgVerify connection: 'drills', storage: 's3proxy', latest: '" + db + "',",
                "      minRows: ['public.orders': 500], sql: ['select count(*) = 500 from orders']",
                "  echo \"PASSED=${v.passed} CHECKS=${v.checks.collect { it.name + ':' + it.outcome }.join(',')}\"",
                "}"), true));

        WorkflowRun b = r.buildAndAssertSuccess(p);

        r.assertLogContains("PASSED=true CHECKS=restore:passed,tables:passed,minRows:public.orders:passed,"
                + "sql[1]:passed", b);
        r.assertLogNotContains(PostgresServers.PASSWORD, b);
        VerifyAction action = b.getAction(VerifyAction.class);
        assertNotNull(action);
        assertTrue(action.isPassed());
        assertEquals("pgverify_" + db + "_1", action.getRecord().getScratchDatabase());
        assertFalse(DatabaseFingerprint.exists(pg, action.getRecord().getScratchDatabase()));
        r.createWebClient().getPage(b, action.getUrlName()); // the action's page renders
    }

    @Test
    void freestyleDrillWithAFailingQueryFailsTheBuild(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = shop(pg);
        configure(pg, db);
        DumbSlave agent = r.createOnlineSlave();
        FreeStyleProject p = r.createFreeStyleProject("freestyle-drill");
        p.setAssignedNode(agent);
        PgBackupBuilder backup = new PgBackupBuilder();
        backup.setConnection("shop");
        backup.setStorage("s3proxy");
        PgVerifyBuilder verify = new PgVerifyBuilder();
        verify.setConnection("drills");
        verify.setStorage("s3proxy");
        verify.setLatest(db);
        verify.setSql("select count(*) > 1000 from orders");
        p.getBuildersList().add(backup);
        p.getBuildersList().add(verify);

        FreeStyleBuild b = r.buildAndAssertStatus(Result.FAILURE, p);

        r.assertLogContains("sql[1]: select count(*) > 1000 from orders returned false, not true", b);
        VerifyAction action = b.getAction(VerifyAction.class);
        assertFalse(action.isPassed());
        assertEquals(VerifyCheck.Outcome.PASSED, action.getChecks().get(0).outcome());
        r.createWebClient().getPage(b, action.getUrlName());
    }
}
