package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.management.HotSpotDiagnosticMXBean;
import hudson.model.Label;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.pgbackup.action.BackupAction;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A Pipeline backup on an agent (a JVM of its own, behind a real remoting channel) to a target where the controller
 * signs: the backup is stored, retention ran on the controller, and the keys are in nothing the agent got: neither is
 * in the build log or its environment, and the secret key is nowhere in its memory (a heap dump of the agent JVM, taken
 * after the backup, is searched for it). The access key id does reach the agent, inside the presigned URLs, as
 * SigV4 requires.
 */
@WithJenkins
class SignedBackupJenkinsTest {
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

    private static String configure(PostgresServers.Server pg, String database) throws Exception {
        JenkinsFixtures.addCredentials();
        String bucket = s3.createBucket();
        JenkinsFixtures.configure(List.of(JenkinsFixtures.connection("shop", pg, database)),
                JenkinsFixtures.target(s3, bucket, "signed", StorageAccess.CONTROLLER_SIGNS));
        return bucket;
    }

    @Test
    void aPipelineOnAnAgentBacksUpWhileOnlyTheControllerHoldsTheKeys(JenkinsRule r) throws Exception {
        PostgresServers.Server pg = PostgresServers.get(MAJOR);
        String db = "signed_" + UUID.randomUUID().toString().substring(0, 8);
        pg.createDatabase(db);
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, note text)");
            s.execute("INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 1000) g");
        }
        String bucket = configure(pg, db);
        DumbSlave agent = r.createOnlineSlave(Label.get("pg"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "signed-backup");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('pg') {",
                "  def b = pgBackup connection: 'shop', storage: 's3proxy', includeGlobals: true, keepLast: 1",
                "  echo \"KEY=${b.key}\"",
                "}"), true));

        r.buildAndAssertSuccess(p);
        WorkflowRun b = r.buildAndAssertSuccess(p);

        r.assertLogContains("Running on " + agent.getNodeName(), b);
        r.assertLogContains("the controller keeps the keys", b);
        r.assertLogContains("Applying retention on the controller", b);
        r.assertLogNotContains(S3ProxyServer.SECRET_KEY, b);
        r.assertLogNotContains(S3ProxyServer.ACCESS_KEY, b);
        BackupAction backup = b.getAction(BackupAction.class);
        assertNotNull(backup);
        String key = backup.getKey();
        List<String> stored = s3.client().listObjectsV2(l -> l.bucket(bucket).prefix("signed/" + db + "/"))
                .contents().stream().map(S3Object::key).sorted().toList();
        assertEquals(List.of(key, BackupKeys.manifestKey(key), BackupKeys.globalsKey(key),
                BackupKeys.manifestKey(BackupKeys.globalsKey(key))).stream().sorted().toList(), stored,
                "keepLast: 1 pruned the first build's backup on the controller");
        assertEquals(List.of(), s3.client().listMultipartUploads(l -> l.bucket(bucket)).uploads());

        Map<String, String> env = agent.getChannel().call(new AgentEnvironment());
        assertFalse(env.values().stream().anyMatch(v -> v.contains(S3ProxyServer.SECRET_KEY)
                || v.contains(S3ProxyServer.ACCESS_KEY)), "the agent's environment holds no key");
        // Only the secret: the access key id is in every presigned URL (SigV4's X-Amz-Credential names it), as with any
        // presigned request; it identifies the key and signs nothing.
        List<Boolean> found = agent.getChannel().call(new AgentHeapSearch(List.of(S3ProxyServer.SECRET_KEY)));
        assertEquals(List.of(false, true), found, "the agent's memory does not hold the secret key (and the search "
                + "finds the control string the search itself holds)");
    }

    /** The agent JVM's environment. */
    private static final class AgentEnvironment extends MasterToSlaveCallable<Map<String, String>, IOException> {
        private static final long serialVersionUID = 1L;

        @Override
        public Map<String, String> call() {
            return new java.util.HashMap<>(System.getenv());
        }
    }

    /**
     * Dumps the agent JVM's heap, unreachable objects included, then searches it for each needle (Latin-1 and
     * UTF-16). The needles travel masked (XOR with a random pad) and are unmasked only after the dump, so that the
     * search itself puts nothing it looks for into the heap it searches.
     */
    private static final class AgentHeapSearch extends MasterToSlaveCallable<List<Boolean>, IOException> {
        private static final long serialVersionUID = 1L;
        private final List<byte[]> masked = new java.util.ArrayList<>();
        private final List<byte[]> pads = new java.util.ArrayList<>();
        /** Sent as it is and reachable during the dump: the search must find it. */
        private final String control = "pgbackup-heap-control-" + UUID.randomUUID();

        AgentHeapSearch(List<String> needles) {
            java.security.SecureRandom random = new java.security.SecureRandom();
            for (String n : needles) {
                byte[] plain = n.getBytes(StandardCharsets.ISO_8859_1);
                byte[] pad = new byte[plain.length];
                random.nextBytes(pad);
                for (int i = 0; i < plain.length; i++) {
                    plain[i] ^= pad[i];
                }
                masked.add(plain);
                pads.add(pad);
            }
        }

        @Override
        public List<Boolean> call() throws IOException {
            Path file = Files.createTempDirectory("agent-heap").resolve("agent.hprof");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), false);
                byte[] heap = Files.readAllBytes(file);
                List<Boolean> found = new java.util.ArrayList<>();
                for (int k = 0; k < masked.size(); k++) {
                    byte[] latin = masked.get(k).clone();
                    for (int i = 0; i < latin.length; i++) {
                        latin[i] ^= pads.get(k)[i];
                    }
                    // UTF-16 both ways: char arrays are dumped big-endian, a String's UTF-16 bytes in native order.
                    byte[] utf16be = new byte[latin.length * 2];
                    byte[] utf16le = new byte[latin.length * 2];
                    for (int i = 0; i < latin.length; i++) {
                        utf16be[2 * i + 1] = latin[i];
                        utf16le[2 * i] = latin[i];
                    }
                    found.add(contains(heap, latin) || contains(heap, utf16be) || contains(heap, utf16le));
                }
                found.add(contains(heap, control.getBytes(StandardCharsets.ISO_8859_1)));
                return found;
            } finally {
                Files.deleteIfExists(file);
            }
        }

        /** Self-contained: the outer class, whose constants name the keys, is never loaded on the agent. */
        private static boolean contains(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }
}
