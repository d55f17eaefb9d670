package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.restore.RestoreException;
import io.jenkins.plugins.pgbackup.signing.RestoreSigner;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.verify.VerifyRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the restore and verify runners do when the controller signs, without Jenkins: the controller's plan resolves
 * and signs ({@link EngineBridge#signRestore}), the agent's keyless plan ({@link RestorePlan#forAgent()}) runs the
 * engine with the signer as its grant (as on the controller's own node), and the controller writes the drill's record.
 */
class SignedRestoreBridgeTest {

    private static S3ProxyServer s3;
    private static String bucket;
    private static PostgresServers.Server server;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.inMemory();
        bucket = s3.createBucket();
        server = PostgresServers.get(17);
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    /** "keys" (agents use the keys: the backup) and "signed" (the controller signs) on one bucket and prefix. */
    private static TestSettings settings(String db) {
        TestSettings settings = new TestSettings();
        settings.connections.addAll(List.of(TestSettings.connection("shop", server, db),
                TestSettings.connection("drills", server, "postgres")));
        for (StorageAccess access : StorageAccess.values()) {
            settings.targets.add(TestSettings.s3proxyTarget(access == StorageAccess.AGENT_KEYS ? "keys" : "signed",
                    s3, bucket, "bridge", access));
        }
        settings.toolRoots = List.of(PgClients.requireRoot().toString());
        return settings;
    }

    private static MapCredentials credentials() {
        return MapCredentials.forTestServers();
    }

    @Test
    void aRestoreAndADrillRunOnTheAgentsKeylessPlanWithTheControllersSigner() throws Exception {
        String db = "signed_bridge_" + UUID.randomUUID().toString().substring(0, 8);
        server.createDatabase(db);
        try (Connection c = server.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id int PRIMARY KEY)");
            s.execute("INSERT INTO orders SELECT generate_series(1, 500)");
        }
        TestSettings settings = settings(db);
        BackupOptions backup = new BackupOptions();
        backup.setConnection("shop");
        backup.setStorage("keys");
        BackupOutcome taken = EngineBridge.backup(BackupRequestMapper.map(backup, settings, credentials(), null, "t"),
                List.of(), new RecordingLog());

        RestoreOptions restore = new RestoreOptions();
        restore.setStorage("signed");
        restore.setLatest(db);
        restore.setHost("localhost");
        restore.setPort(server.port());
        restore.setDatabase(db + "_copy");
        restore.setCredentialsId("pg");
        restore.setCreateDatabase(true);
        RestorePlan plan = RestoreRequestMapper.map(restore, settings, credentials(), null);
        RecordingLog agentLog = new RecordingLog();
        RestoreOutcome restored;
        try (RestoreSigner signer = EngineBridge.signRestore(plan)) {
            restored = EngineBridge.restore(plan.forAgent(), List.of(),
                    new MaskingEngineLog(agentLog, plan.forAgent().secrets()), s -> {}, null,
                    SignedReads.direct(signer));
        }
        assertEquals(taken.key(), restored.key());
        try (Connection c = server.connect(db + "_copy"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            assertEquals(500, rs.getInt(1));
        }

        VerifyOptions verify = new VerifyOptions();
        verify.setConnection("drills");
        verify.setStorage("signed");
        verify.setKey(taken.key());
        VerifyPlan drill = VerifyRequestMapper.map(verify, settings, credentials(), null, "3", "job/x/3/");
        VerifyOutcome outcome;
        try (RestoreSigner signer = EngineBridge.signRestore(drill.restore())) {
            VerifyOutcome onAgent = EngineBridge.verify(VerifyRequestMapper.forAgent(drill), List.of(), agentLog,
                    null, SignedReads.direct(signer));
            assertEquals(null, onAgent.recordKey(), "the agent wrote nothing");
            outcome = EngineBridge.recordVerify(signer, onAgent, new RecordingLog());
        }
        assertTrue(outcome.record().isPassed(), outcome.record().getChecks().toString());
        assertEquals(VerifyRecord.keyFor(taken.key()), outcome.recordKey());
        assertNotNull(s3.client().headObject(h -> h.bucket(bucket).key(outcome.recordKey())));
        assertFalse(agentLog.all().contains(S3ProxyServer.SECRET_KEY), agentLog.all());
        assertFalse(agentLog.all().contains("X-Amz-"), "no presigned URL in the log");
    }

    @Test
    void aMissingBackupIsRefusedOnTheControllerAndAgentsWithKeysGetNoSigner() throws Exception {
        TestSettings settings = settings("postgres");
        RestoreOptions o = new RestoreOptions();
        o.setConnection("drills");
        o.setStorage("signed");
        o.setKey("bridge/none/none_20250101_000000.dump");

        RestoreException e = assertThrows(RestoreException.class,
                () -> EngineBridge.signRestore(RestoreRequestMapper.map(o, settings, credentials(), null)));

        assertTrue(e.getMessage().startsWith("No backup at s3://" + bucket + "/bridge/none/"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the target database was not touched."), e.getMessage());
        assertFalse(e.isTargetTouched());
        o.setStorage("keys");
        assertNull(EngineBridge.signRestore(RestoreRequestMapper.map(o, settings, credentials(), null)));
    }
}
