package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import io.jenkins.plugins.pgbackup.action.BackupAction;
import io.jenkins.plugins.pgbackup.action.RestoreAction;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.sql.Connection;
import java.sql.ResultSet;
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

/**
 * includeGlobals as a connection default and restoreGlobals in a real Jenkins, on an agent: a database owned by a
 * role of its own is backed up with its globals and restored onto a fresh server that lacks the role.
 */
@WithJenkins
class GlobalsJenkinsTest {
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

    /** A database owned by its own role, a connection "owned" with includeGlobals on, and a storage target. */
    private static String setUp(PostgresServers.Server pg, String database, String owner) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + owner + " LOGIN");
            s.execute("CREATE DATABASE " + database + " OWNER " + owner);
        }
        try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id int PRIMARY KEY)");
            s.execute("ALTER TABLE orders OWNER TO " + owner);
        }
        JenkinsFixtures.addCredentials();
        DatabaseConnection owned = JenkinsFixtures.connection("owned", pg, database);
        owned.setIncludeGlobals(true);
        String bucket = s3.createBucket();
        // Globals through the controller's grant: the keys stay on the controller.
        JenkinsFixtures.configure(List.of(owned),
                JenkinsFixtures.target(s3, bucket, null, StorageAccess.CONTROLLER_SIGNS));
        return bucket;
    }

    private static String tableOwner(PostgresServers.Server pg, String database) throws Exception {
        try (Connection c = pg.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT tableowner FROM pg_tables WHERE tablename = 'orders'")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    @Test
    void pipelineBacksUpWithTheConnectionsGlobalsAndRestoresThemOntoAFreshServer(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String db = "owned_" + suffix;
        String owner = "owner_" + suffix;
        String bucket = setUp(pg, db, owner);
        r.createOnlineSlave(Label.get("pg"));
        try (PostgresServers.Server fresh = PostgresServers.startFresh(MAJOR)) {
            WorkflowJob p = r.createProject(WorkflowJob.class, "globals");
            p.setDefinition(new CpsFlowDefinition(String.join("\n",
                    "node('pg') {",
                    "  def b = pgBackup connection: 'owned', storage: 's3proxy'",
                    "  echo \"GLOBALS=${b.globalsKey}\"",
                    "  def x = pgRestore storage: 's3proxy', key: b.key, host: 'localhost', port: " + fresh.port() + ",",
                    "      database: '" + db + "', credentialsId: 'pg', createDatabase: true, restoreGlobals: true",
                    "  echo \"CREATED=${x.rolesCreated} KEPT=${x.rolesKept}\"",
                    "}"), true));
            WorkflowRun b = r.buildAndAssertSuccess(p);

            BackupAction backup = b.getAction(BackupAction.class);
            assertNotNull(backup.getGlobalsKey(), "the connection's default applies");
            r.assertLogContains("GLOBALS=" + backup.getGlobalsKey(), b);
            assertEquals(backup.getKey().replaceAll("\\.dump$", ".globals.sql"), backup.getGlobalsKey());
            s3.client().headObject(h -> h.bucket(bucket).key(backup.getGlobalsKey()));
            r.assertLogContains("KEPT=[postgres]", b);
            RestoreAction restore = b.getAction(RestoreAction.class);
            assertEquals(backup.getGlobalsKey(), restore.getGlobalsKey());
            assertTrue(restore.getRolesCreatedText().contains(owner), restore.getRolesCreatedText());
            assertEquals(owner, tableOwner(fresh, db));
            r.assertLogNotContains(PostgresServers.PASSWORD, b);
            r.createWebClient().getPage(b, backup.getUrlName());
            r.createWebClient().getPage(b, restore.getUrlName());
        }
    }

    @Test
    void freestyleRestoreAppliesTheGlobalsFirst(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String db = "owned_fs_" + suffix;
        String owner = "owner_fs_" + suffix;
        setUp(pg, db, owner);
        try (PostgresServers.Server fresh = PostgresServers.startFresh(MAJOR)) {
            FreeStyleProject p = r.createFreeStyleProject("globals-fs");
            p.setAssignedNode(r.createOnlineSlave());
            PgBackupBuilder backup = new PgBackupBuilder();
            backup.setConnection("owned");
            backup.setStorage("s3proxy");
            backup.setIncludeGlobals(true);
            p.getBuildersList().add(backup);
            PgRestoreBuilder restore = new PgRestoreBuilder();
            restore.setStorage("s3proxy");
            restore.setLatest(db);
            restore.setHost("localhost");
            restore.setPort(fresh.port());
            restore.setDatabase(db);
            restore.setCredentialsId("pg");
            restore.setCreateDatabase(true);
            restore.setRestoreGlobals(true);
            p.getBuildersList().add(restore);
            FreeStyleBuild b = r.buildAndAssertSuccess(p);
            assertNotNull(b.getAction(BackupAction.class).getGlobalsKey());
            assertNotNull(b.getAction(RestoreAction.class).getGlobalsKey());
            assertEquals(owner, tableOwner(fresh, db));
        }
    }
}
