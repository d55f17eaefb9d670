package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import hudson.model.Label;
import hudson.model.Result;
import io.jenkins.plugins.pgbackup.action.BackupAction;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The steps inside a block that decorates the build's launcher, as {@code container(...)} and
 * {@code docker.image(...).inside} do ({@link ClientPathStep}): the clients are found and run through that launcher
 * (client 17 is on no path the plugin searches on the agent, only on the block's PATH), the data go through named
 * pipes in the workspace's {@code @tmp}, and an abort stops pg_dump there.
 */
@WithJenkins
class ContainerJenkinsTest {
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

    /** Connection "shop", storage "s3proxy", and no tool search root: the agent itself knows no client 17. */
    private static void configure(PostgresServers.Server pg, String database) throws Exception {
        JenkinsFixtures.addCredentials();
        JenkinsFixtures.configure(List.of(JenkinsFixtures.connection("shop", pg, database),
                JenkinsFixtures.connection("drills", pg, "postgres")),
                JenkinsFixtures.target(s3, s3.createBucket(), "containers", StorageAccess.AGENT_KEYS), "");
    }

    private static String shop(PostgresServers.Server pg, int rows) throws Exception {
        String db = "shop_" + UUID.randomUUID().toString().substring(0, 8);
        pg.createDatabase(db);
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, note text)");
            s.execute("INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, " + rows + ") g");
        }
        return db;
    }

    @Test
    void backsUpRestoresAndVerifiesWithTheClientOnlyTheBlockHas(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = shop(pg, 500);
        configure(pg, db);
        r.createOnlineSlave(Label.get("pg"));
        String bin = PgClients.binDir(MAJOR).toString();
        String copy = db + "_copy";
        WorkflowJob p = r.createProject(WorkflowJob.class, "in-container");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('pg') {",
                "  withClientsOnPath(bin: '" + bin + "') {",
                "    def b = pgBackup connection: 'shop', storage: 's3proxy'",
                "    def x = pgRestore storage: 's3proxy', key: b.key, host: 'localhost', port: " + pg.port() + ",",
                "        database: '" + copy + "', credentialsId: 'pg', createDatabase: true",
                "    echo \"RESTORED_WITH=${x.tool}\"",
                "    def v = pgVerify connection: 'drills', storage: 's3proxy', latest: '" + db + "'",
                "    echo \"PASSED=${v.passed}\"",
                "  }",
                "}"), true));

        WorkflowRun b = r.buildAndAssertSuccess(p);

        // The engine's plan lines name the programs it runs: the block's, found through its launcher.
        r.assertLogContains("Plan: pg_dump " + MAJOR + ".", b);
        r.assertLogContains(" at " + bin + "/pg_dump, format custom", b);
        r.assertLogContains("Client: pg_restore " + MAJOR + ".", b);
        r.assertLogContains(" at " + bin + "/pg_restore", b);
        r.assertLogContains("RESTORED_WITH=pg_restore", b);
        r.assertLogContains("PASSED=true", b);
        r.assertLogNotContains(PostgresServers.PASSWORD, b);
        assertNotNull(b.getAction(BackupAction.class));
        try (Connection c = pg.connect(copy); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            assertEquals(500, rs.getLong(1));
        }
    }

    @Test
    void anAbortStopsPgDumpInTheBlock(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = shop(pg, 10);
        configure(pg, db);
        r.createOnlineSlave(Label.get("pg"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "aborted-in-container");
        p.setDefinition(new CpsFlowDefinition("node('pg') { withClientsOnPath(bin: '"
                + PgClients.binDir(MAJOR) + "') { timeout(time: 20, unit: 'SECONDS') { "
                + "pgBackup connection: 'shop', storage: 's3proxy' } } }", true));
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // pg_dump waits for this lock until the timeout aborts the step.
            s.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");

            WorkflowRun b = r.buildAndAssertStatus(Result.ABORTED, p);

            r.assertLogContains("The backup of " + db + " was stopped ", b);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (anyProcessOf(db) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(anyProcessOf(db), "pg_dump and its wrapper were stopped");
            c.rollback();
        }
    }

    private static boolean anyProcessOf(String database) {
        return ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine().orElse("").contains(database));
    }
}
