package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import hudson.model.Label;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.pgbackup.action.BackupAction;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * age encryption in a real Jenkins, on an agent: the recipients come from a Secret text credential, the identity from
 * another one; the build page and the step's result say the backup is encrypted, and nothing secret is logged.
 */
@WithJenkins
class EncryptionJenkinsTest {
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

    @Test
    void pipelineBacksUpEncryptedWithCredentialRecipientsAndRestoresOnlyWithTheIdentity(JenkinsRule r)
            throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = "enc_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE secrets_of_the_trade (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO secrets_of_the_trade VALUES (1, 'tea'), (2, 'cake')");
        }
        KeyPair k = new X25519KeyPairGenerator().generateKeyPair();
        String recipient = new String(k.getPublic().getEncoded(), StandardCharsets.US_ASCII);
        String identity = new String(k.getPrivate().getEncoded(), StandardCharsets.US_ASCII);
        addCredentials(recipient, identity);
        configureStorage();
        r.createOnlineSlave(Label.get("pg"));

        WorkflowJob p = r.createProject(WorkflowJob.class, "encrypted");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('pg') {",
                "  def b = pgBackup host: 'localhost', port: " + pg.port() + ", database: '" + db + "',",
                "      credentialsId: 'pg', storage: 's3proxy', ageRecipientsCredentialsId: 'age-recipients',",
                "      includeGlobals: true",
                "  echo \"ENCRYPTED=${b.encrypted} RECIPIENTS=${b.recipients} KEY=${b.key}\"",
                "  pgRestore storage: 's3proxy', key: b.key, host: 'localhost', port: " + pg.port() + ",",
                "      database: '" + db + "_copy', credentialsId: 'pg', createDatabase: true,",
                "      ageIdentityCredentialsId: 'age-identity'",
                "}"), true));
        WorkflowRun b = r.buildAndAssertSuccess(p);

        BackupAction backup = b.getAction(BackupAction.class);
        assertTrue(backup.isEncrypted());
        assertEquals(AgeKeys.fingerprints(List.of(recipient)), backup.getRecipients());
        assertTrue(backup.getKey().endsWith(".dump.age"), backup.getKey());
        assertTrue(backup.getGlobalsKey().endsWith(".globals.sql.age"), backup.getGlobalsKey());
        r.assertLogContains("ENCRYPTED=true RECIPIENTS=" + backup.getRecipients(), b);
        r.assertLogNotContains(identity, b);
        r.assertLogNotContains("AGE-SECRET-KEY", b);
        assertEquals("2", count(pg, db + "_copy"));
        r.createWebClient().getPage(b, backup.getUrlName());

        WorkflowJob without = r.createProject(WorkflowJob.class, "without-identity");
        without.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('pg') {",
                "  pgRestore storage: 's3proxy', key: '" + backup.getKey() + "', host: 'localhost', port: " + pg.port()
                        + ",",
                "      database: '" + db + "_never', credentialsId: 'pg', createDatabase: true",
                "}"), true));
        WorkflowRun refused = r.buildAndAssertStatus(Result.FAILURE, without);
        r.assertLogContains("is encrypted with age", refused);
        r.assertLogContains("ageIdentityCredentialsId", refused);
        assertFalse(databaseExists(pg, db + "_never"), "refused before the target was touched");
    }

    private static void addCredentials(String recipient, String identity) throws Exception {
        JenkinsFixtures.addCredentials();
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "age-recipients", "public key", Secret.fromString(recipient)));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "age-identity", "restore key", Secret.fromString(identity)));
        SystemCredentialsProvider.getInstance().save();
    }

    private static void configureStorage() {
        // Encrypted backups and restores with the keys on the controller.
        JenkinsFixtures.configure(List.of(), JenkinsFixtures.target(s3, s3.createBucket(), null,
                StorageAccess.CONTROLLER_SIGNS));
    }

    private static String count(PostgresServers.Server pg, String database) throws Exception {
        try (Connection c = pg.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM secrets_of_the_trade")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static boolean databaseExists(PostgresServers.Server pg, String database) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")) {
            assertTrue(rs.next());
            return rs.getInt(1) > 0;
        }
    }
}
