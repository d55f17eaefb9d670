package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.signing.BackupSigner;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.testing.LoopbackGrant;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What {@code BackupRunner} does when the target says the controller signs, without Jenkins: the plan mapped with the
 * keys, the signer made from it on the controller, the plan without keys serialized to the agent with a reference to
 * the signer, the engine run on the deserialized copy, retention run on the controller afterwards.
 */
class SignedBackupBridgeTest {
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

    private static TestSettings settings(String db, StorageAccess access) {
        TestSettings settings = new TestSettings();
        settings.connections.add(TestSettings.connection("shop", server, db));
        settings.targets.add(TestSettings.s3proxyTarget("s3proxy", s3, bucket, "signed-bridge", access));
        settings.toolRoots = List.of(PgClients.requireRoot().toString());
        return settings;
    }

    private static MapCredentials credentials() {
        return MapCredentials.forTestServers();
    }

    private static String database() throws Exception {
        String db = "signed_shop_" + UUID.randomUUID().toString().substring(0, 8);
        server.createDatabase(db);
        try (Connection c = server.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 500) g");
        }
        return db;
    }

    private static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static boolean containsKey(byte[] bytes) {
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        return latin.contains(S3ProxyServer.ACCESS_KEY) || latin.contains(S3ProxyServer.SECRET_KEY);
    }

    @Test
    void aTargetWhereTheControllerSignsSendsTheAgentAPlanWithoutKeys() throws Exception {
        BackupOptions o = new BackupOptions();
        o.setConnection("shop");
        o.setStorage("s3proxy");
        BackupPlan plan = BackupRequestMapper.map(o, settings("shop", StorageAccess.CONTROLLER_SIGNS), credentials(),
                null, "jenkins:test#1");

        assertTrue(plan.controllerSigns());
        assertTrue(plan.secrets().contains(S3ProxyServer.SECRET_KEY), "the controller's log masks the secret key");
        BackupPlan sent = plan.withoutKeys();
        assertFalse(sent.secrets().contains(S3ProxyServer.SECRET_KEY), "the agent's list of secrets does not name it");
        assertFalse(containsKey(serialize(sent)));
        assertTrue(containsKey(serialize(plan)), "the search finds the keys where they are");
    }

    @Test
    void aTargetWhereAgentsUseTheKeysKeepsThemInThePlan() throws Exception {
        BackupOptions o = new BackupOptions();
        o.setConnection("shop");
        o.setStorage("s3proxy");
        BackupPlan plan = BackupRequestMapper.map(o, settings("shop", StorageAccess.AGENT_KEYS), credentials(), null,
                "jenkins:test#1");

        assertFalse(plan.controllerSigns());
        assertEquals(S3ProxyServer.SECRET_KEY, plan.storage().getSecretKey());
    }

    @Test
    void theAgentBacksUpWithoutKeysAndTheControllerPrunesAfterwards() throws Exception {
        String db = database();
        BackupOptions o = new BackupOptions();
        o.setConnection("shop");
        o.setStorage("s3proxy");
        o.setKeepLast(1);
        BackupPlan plan = BackupRequestMapper.map(o, settings(db, StorageAccess.CONTROLLER_SIGNS), credentials(), null,
                "jenkins:test#1");
        BackupResult first = null;
        BackupOutcome last = null;
        for (int i = 0; i < 2; i++) {
            if (i == 1) {
                Thread.sleep(1100); // keys name the second
            }
            BackupSigner signer = new BackupSigner(plan.storage(), plan.connection().getDatabase());
            LoopbackGrant grant = LoopbackGrant.export(signer);
            byte[] sent = serialize(plan.withoutKeys());
            byte[] reference = serialize(grant);
            assertFalse(containsKey(sent) || containsKey(reference), "nothing the agent receives holds a key");
            BackupPlan received;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(sent))) {
                received = (BackupPlan) in.readObject();
            }
            RecordingLog agentLog = new RecordingLog();
            BackupResult agent = EngineBridge.backup(received, List.of(), new MaskingEngineLog(agentLog,
                    received.secrets()), s -> {}, null, grant);
            assertTrue(agent.isRetentionLeftToCaller());
            assertEquals(List.of(), signer.finish());
            RecordingLog controllerLog = new RecordingLog();
            BackupResult pruned = EngineBridge.retainOnController(agent, plan, controllerLog);
            last = BackupRequestMapper.outcome(pruned, plan);
            if (first == null) {
                first = pruned;
            }
        }

        assertEquals(List.of(first.getKey()), last.pruned());
        List<String> stored = s3.client().listObjectsV2(b -> b.bucket(bucket).prefix("signed-bridge/" + db + "/"))
                .contents().stream().map(S3Object::key).toList();
        assertEquals(List.of(last.key(), BackupKeys.manifestKey(last.key())), stored);
    }
}
