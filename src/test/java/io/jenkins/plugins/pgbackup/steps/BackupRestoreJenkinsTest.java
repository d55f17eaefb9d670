package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.pgbackup.action.BackupAction;
import io.jenkins.plugins.pgbackup.action.RestoreAction;
import io.jenkins.plugins.pgbackup.config.ControllerVersionCache;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * The whole plugin in a real Jenkins: a Pipeline and a freestyle job on an agent (a separate JVM, so plans and
 * outcomes cross a real remoting channel) back up a real PostgreSQL to S3Proxy and restore it.
 */
@WithJenkins
class BackupRestoreJenkinsTest {

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

    /** Credentials, a connection "shop" and a storage target "s3proxy" in a fresh bucket; returns the bucket. */
    private static String configure(PostgresServers.Server pg, String database) throws Exception {
        // The agent holds the keys here; SignedBackupJenkinsTest and SignedRestoreJenkinsTest cover the other mode.
        JenkinsFixtures.addCredentials();
        String bucket = s3.createBucket();
        JenkinsFixtures.configure(List.of(JenkinsFixtures.connection("shop", pg, database)),
                JenkinsFixtures.target(s3, bucket, "ci", StorageAccess.AGENT_KEYS));
        return bucket;
    }

    private static void createShop(PostgresServers.Server pg, String database, int rows) throws SQLException {
        pg.createDatabase(database);
        try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, note text)");
            s.execute("INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, " + rows + ") g");
        }
    }

    private static long count(PostgresServers.Server pg, String database) throws SQLException {
        try (Connection c = pg.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String unique(String base) {
        return base + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void pipelineOnAnAgentBacksUp(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = unique("shop");
        createShop(pg, db, 1000);
        String bucket = configure(pg, db);
        DumbSlave agent = r.createOnlineSlave(Label.get("pg"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "pipeline-backup");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('pg') {",
                "  def b = pgBackup connection: 'shop', storage: 's3proxy', keepLast: 5",
                "  echo \"KEY=${b.key} SIZE=${b.size} SERVER=${b.postgresVersion} DUMP=${b.pgDumpVersion}\"",
                "}"), true));
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("Running on " + agent.getNodeName(), b);
        r.assertLogContains("SERVER=" + MAJOR + " DUMP=" + MAJOR + ".", b);
        r.assertLogNotContains(PostgresServers.PASSWORD, b);
        r.assertLogNotContains(S3ProxyServer.SECRET_KEY, b);

        BackupAction backup = b.getAction(BackupAction.class);
        assertNotNull(backup);
        assertEquals(db, backup.getDatabase());
        assertEquals(64, backup.getSha256().length());
        assertTrue(backup.getKey().startsWith("ci/" + db + "/"), backup.getKey());
        r.assertLogContains("KEY=" + backup.getKey() + " SIZE=" + backup.getSize(), b);
        assertEquals(backup.getSize(), s3.client().headObject(h -> h.bucket(bucket).key(backup.getKey()))
                .contentLength());
        assertNotNull(ControllerVersionCache.get().store().get("localhost:" + pg.port() + "/" + db),
                "the agent's detection is cached on the controller");
        r.createWebClient().getPage(b, backup.getUrlName()); // the action's page renders
    }

    @Test
    void pipelineOnAnAgentBacksUpAndRestores(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = unique("shop");
        createShop(pg, db, 1000);
        configure(pg, db);
        r.createOnlineSlave(Label.get("pg"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "pipeline");
        String copy = db + "_copy";
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('pg') {",
                "  def b = pgBackup connection: 'shop', storage: 's3proxy'",
                "  def x = pgRestore storage: 's3proxy', key: b.key, host: 'localhost', port: " + pg.port() + ",",
                "      database: '" + copy + "', credentialsId: 'pg', createDatabase: true",
                "  echo \"TOOL=${x.tool} INTO=${x.database}\"",
                "}"), true));
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("TOOL=pg_restore INTO=" + copy, b);
        r.assertLogNotContains(PostgresServers.PASSWORD, b);
        RestoreAction restore = b.getAction(RestoreAction.class);
        assertEquals(copy, restore.getDatabase());
        assertEquals(1000, count(pg, copy));
    }

    @Test
    void freestyleJobBacksUp(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = unique("shop");
        createShop(pg, db, 250);
        String bucket = configure(pg, db);
        DumbSlave agent = r.createOnlineSlave();
        FreeStyleProject p = r.createFreeStyleProject(db);
        p.setAssignedNode(agent);
        PgBackupBuilder backup = new PgBackupBuilder();
        backup.setHost("localhost");
        backup.setPort(pg.port());
        backup.setDatabase("${JOB_NAME}"); // build variables are expanded in freestyle jobs: the job is named as the db
        backup.setCredentialsId("pg");
        backup.setStorage("s3proxy");
        backup.setFormat("directory");
        backup.setJobs(2);
        p.getBuildersList().add(backup);
        FreeStyleBuild b = r.buildAndAssertSuccess(p);
        BackupAction action = b.getAction(BackupAction.class);
        assertEquals("directory", action.getFormat());
        assertEquals(db, action.getDatabase());
        assertEquals(action.getSize(), s3.client().headObject(h -> h.bucket(bucket).key(action.getKey()))
                .contentLength());
        r.assertLogNotContains(PostgresServers.PASSWORD, b);
    }

    @Test
    void freestyleJobBacksUpAndRestoresTheLatest(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = unique("shop");
        createShop(pg, db, 250);
        configure(pg, db);
        DumbSlave agent = r.createOnlineSlave();
        String copy = db + "_fs";
        FreeStyleProject p = r.createFreeStyleProject(copy);
        p.setAssignedNode(agent);
        PgBackupBuilder backup = new PgBackupBuilder();
        backup.setConnection("shop");
        backup.setStorage("s3proxy");
        backup.setFormat("directory");
        backup.setJobs(2);
        PgRestoreBuilder restore = new PgRestoreBuilder();
        restore.setStorage("s3proxy");
        restore.setLatest(db);
        restore.setHost("localhost");
        restore.setPort(pg.port());
        restore.setDatabase("${JOB_NAME}"); // build variables are expanded in freestyle jobs
        restore.setCredentialsId("pg");
        restore.setCreateDatabase(true);
        restore.setJobs(2);
        p.getBuildersList().add(backup);
        p.getBuildersList().add(restore);
        FreeStyleBuild b = r.buildAndAssertSuccess(p);
        assertEquals("directory", b.getAction(BackupAction.class).getFormat());
        RestoreAction restored = b.getAction(RestoreAction.class);
        assertEquals(b.getAction(BackupAction.class).getKey(), restored.getKey());
        assertEquals(db, restored.getSourceDatabase());
        assertEquals(copy, restored.getDatabase());
        assertEquals(250, count(pg, copy));
    }

    @Test
    void outsideNodeTheStepSaysToUseNode(JenkinsRule r) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "no-node");
        p.setDefinition(new CpsFlowDefinition("pgBackup connection: 'shop', storage: 's3proxy'", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("Perhaps you forgot to surround the pgBackup step with a step that provides this", b);
        r.assertLogContains("node", b);
    }

    @Test
    void unknownCredentialsFailWithWhatToDo(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        configure(pg, "postgres");
        r.createOnlineSlave(Label.get("pg"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "bad-credentials");
        p.setDefinition(new CpsFlowDefinition("node('pg') { pgBackup host: 'localhost', database: 'postgres', "
                + "credentialsId: 'missing', storage: 's3proxy' }", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains(Messages.Credentials_NotFound("missing",
                Messages.Purpose_InlineDatabase("localhost:5432/postgres")), b);
    }

    @Test
    void abortingStopsTheDumpAndLeavesNothingInTheBucket(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = unique("big");
        createShop(pg, db, 5_000_000); // several seconds of pg_dump at gzip level 9
        String bucket = configure(pg, db);
        r.createOnlineSlave(Label.get("pg"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "aborted");
        p.setDefinition(new CpsFlowDefinition("node('pg') { timeout(time: 2, unit: 'SECONDS') { "
                + "pgBackup connection: 'shop', storage: 's3proxy', compression: 'gzip:9' } }", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.ABORTED, p);
        // One line that says what was stopped, where the step used to print an InterruptedException's stack trace.
        r.assertLogContains("The backup of " + db + " was stopped ", b);
        r.assertLogContains("nothing was stored.", b);
        r.assertLogNotContains("java.lang.InterruptedException", b);
        r.assertLogNotContains("hudson.remoting.Request.call", b);
        assertEquals(null, b.getAction(BackupAction.class));
        assertEquals(0, s3.client().listObjectsV2(ListObjectsV2Request.builder().bucket(bucket).build())
                .keyCount());
        assertEquals(List.of(), s3.client().listMultipartUploads(ListMultipartUploadsRequest.builder()
                .bucket(bucket).build()).uploads());
    }

    @Test
    void everyLineOfTheStepIsInTheConsoleBeforeTheNextStepStarts(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = unique("ordered");
        createShop(pg, db, 1000);
        configure(pg, db);
        r.createOnlineSlave(Label.get("pg"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "ordered");
        p.setDefinition(new CpsFlowDefinition("node('pg') { pgBackup connection: 'shop', storage: 's3proxy'\n"
                + "  echo 'THE NEXT STEP' }", true));
        WorkflowRun b = r.buildAndAssertSuccess(p);
        String log = JenkinsRule.getLog(b);
        int stored = log.indexOf("Backup of " + db + " stored at s3://");
        int next = log.indexOf("THE NEXT STEP");
        assertTrue(stored >= 0 && stored < next, log);
    }

    @Test
    void anUnreachableStorageFailsBeforePgDumpWithTheCauseFirst(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = unique("unreachable");
        createShop(pg, db, 10);
        configure(pg, db);
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closed;
        PgBackupGlobalConfiguration.get().getStorageTargets().get(0).setEndpoint(endpoint);
        r.createOnlineSlave(Label.get("pg"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "unreachable");
        p.setDefinition(new CpsFlowDefinition("node('pg') { pgBackup connection: 'shop', storage: 's3proxy' }",
                true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("ERROR: Cannot reach the S3 endpoint " + endpoint + ": connection refused", b);
        r.assertLogNotContains("Exception", b);
        r.assertLogNotContains("Plan: pg_dump", b);
    }
}
