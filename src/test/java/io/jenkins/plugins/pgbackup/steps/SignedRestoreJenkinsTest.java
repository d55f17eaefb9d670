package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import hudson.model.Label;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import io.jenkins.plugins.pgbackup.verify.VerifyRecord;
import io.jenkins.plugins.pgbackup.verify.VerifyRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jenkins.security.MasterToSlaveCallable;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * pgRestore and pgVerify on an agent with a storage target whose keys stay on the controller: a backup taken with the
 * keys in the controller's JVM is restored and verified on the agent through presigned URLs,
 * and the secret key is in nothing the agent got: not in the plans sent to it, not in its environment, not anywhere
 * in its JVM's heap (garbage included), not in the build log.
 */
@WithJenkins
class SignedRestoreJenkinsTest {

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
    void pipelineRestoresAndVerifiesWhileTheAgentNeverHoldsTheKeys(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = "signed_shop_" + UUID.randomUUID().toString().substring(0, 8);
        pg.createDatabase(db);
        DatabaseFingerprint.execute(pg, db, "CREATE TABLE orders (id bigint PRIMARY KEY)",
                "INSERT INTO orders SELECT generate_series(1, 500)");
        String copy = db + "_copy";
        String bucket = configure(pg, db, copy);
        // Taken with the keys here, in the controller's JVM: a pgBackup with them on the agent would hand it the keys.
        BackupResult backup = new BackupEngine().run(BackupRequest.builder(pg.spec(db), s3.settings(bucket, "ci"))
                .format(DumpFormat.CUSTOM).toolLocations(ToolLocations.of(List.of(),
                        List.of(PgClients.requireRoot().toString()), List.of())).build(), new RecordingLog());
        DumbSlave agent = r.createOnlineSlave(Label.get("pg"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "signed");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('pg') {",
                "  def restored = pgRestore connection: 'copy', storage: 's3proxy', latest: '" + db + "',",
                "      createDatabase: true",
                "  def drill = pgVerify connection: 'drills', storage: 's3proxy', latest: '" + db + "'",
                "  echo \"RESTORED=${restored.key} PASSED=${drill.passed} RECORD=${drill.record}\"",
                "}"), true));

        WorkflowRun b = r.buildAndAssertSuccess(p);

        String log = JenkinsRule.getLog(b);
        assertTrue(log.contains("PASSED=true"), log);
        assertEquals(DatabaseFingerprint.of(pg, db), DatabaseFingerprint.of(pg, copy));
        String backupKey = backup.getKey();
        assertTrue(log.contains("RESTORED=" + backupKey), log);
        assertTrue(log.contains("RECORD=" + VerifyRecord.keyFor(backupKey)), "the controller wrote the record");
        VerifyRecord record = new VerifyRecords(s3.client(), bucket).read(backupKey).orElseThrow();
        assertTrue(record.isPassed());
        r.assertLogNotContains(S3ProxyServer.SECRET_KEY, b);
        r.assertLogNotContains(S3ProxyServer.ACCESS_KEY, b);
        r.assertLogNotContains("X-Amz-Signature", b);

        // What the runners send: the plans for the agent, mapped from the same configuration.
        RunCredentials credentials = new RunCredentials(b);
        RestoreOptions restore = new RestoreOptions();
        restore.setConnection("copy");
        restore.setStorage("s3proxy");
        restore.setLatest(db);
        RestorePlan plan = RestoreRequestMapper.map(restore, PgBackupGlobalConfiguration.get(), credentials, null);
        VerifyOptions verify = new VerifyOptions();
        verify.setConnection("drills");
        verify.setStorage("s3proxy");
        verify.setLatest(db);
        VerifyPlan drill = VerifyRequestMapper.map(verify, PgBackupGlobalConfiguration.get(), credentials, null,
                "1", null);
        for (Object sent : List.of(plan.forAgent(), VerifyRequestMapper.forAgent(drill))) {
            String bytes = serialized(sent);
            assertFalse(bytes.contains(S3ProxyServer.SECRET_KEY), "secret key in " + sent);
            assertFalse(bytes.contains(S3ProxyServer.ACCESS_KEY), "access key id in " + sent);
        }
        assertTrue(plan.secrets().contains(S3ProxyServer.SECRET_KEY), "the controller masks it");

        // The agent's own JVM: reversed here, so that the callable itself does not carry the secret.
        List<String> found = agent.getChannel().call(new Holds(
                new StringBuilder(S3ProxyServer.SECRET_KEY).reverse().toString()));
        assertEquals(List.of(), found, "the secret key on the agent");
    }

    /**
     * Credentials, connections "shop" (its database), "copy" (the restore's target) and "drills" (postgres), and the
     * target "s3proxy", whose keys stay on the controller.
     */
    private static String configure(PostgresServers.Server pg, String database, String copy) throws Exception {
        JenkinsFixtures.addCredentials();
        String bucket = s3.createBucket();
        JenkinsFixtures.configure(List.of(JenkinsFixtures.connection("shop", pg, database),
                JenkinsFixtures.connection("copy", pg, copy), JenkinsFixtures.connection("drills", pg, "postgres")),
                JenkinsFixtures.target(s3, bucket, "ci", StorageAccess.CONTROLLER_SIGNS));
        return bucket;
    }

    private static String serialized(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * On the agent: where a string is found, given reversed. The heap is dumped with its garbage before the string is
     * made again for the search, so only what the agent received can match.
     */
    private static final class Holds extends MasterToSlaveCallable<List<String>, IOException> {
        private static final long serialVersionUID = 1L;

        private final String reversed;

        Holds(String reversed) {
            this.reversed = reversed;
        }

        @Override
        public List<String> call() throws IOException {
            Path dir = Files.createTempDirectory("agent-heap");
            Path dump = dir.resolve("agent.hprof");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), false);
                byte[] heap = Files.readAllBytes(dump);
                String wanted = new StringBuilder(reversed).reverse().toString();
                List<String> found = new ArrayList<>();
                if (indexOf(heap, wanted.getBytes(StandardCharsets.ISO_8859_1)) >= 0
                        || indexOf(heap, wanted.getBytes(StandardCharsets.UTF_16BE)) >= 0) {
                    found.add("heap");
                }
                if (System.getenv().toString().contains(wanted)) {
                    found.add("environment");
                }
                if (System.getProperties().toString().contains(wanted)) {
                    found.add("system properties");
                }
                return found;
            } finally {
                Files.deleteIfExists(dump);
                Files.deleteIfExists(dir);
            }
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
