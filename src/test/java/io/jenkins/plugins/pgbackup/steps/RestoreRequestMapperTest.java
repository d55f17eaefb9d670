package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestoreRequestMapperTest {

    private TestSettings settings;
    private MapCredentials credentials;

    @BeforeEach
    void configure() {
        settings = new TestSettings();
        settings.connections.add(new DatabaseConnection("staging", "staging.internal", "app", "pg-staging"));
        settings.targets.add(new StorageTarget("s3", "backups", "aws"));
        credentials = new MapCredentials().with("pg-staging", "restorer", "pw").with("aws", "AKIA", "secret");
    }

    private static RestoreOptions named() {
        RestoreOptions o = new RestoreOptions();
        o.setConnection("staging");
        o.setStorage("s3");
        return o;
    }

    private RestorePlan map(RestoreOptions o) throws AbortException {
        return RestoreRequestMapper.map(o, settings, credentials, null);
    }

    @Test
    void restoresAKeyWithSafeDefaults() throws AbortException {
        RestoreOptions o = named();
        o.setKey(" prod/app/app_20251117_150405.dump ");
        RestorePlan p = map(o);
        assertEquals("prod/app/app_20251117_150405.dump", p.key());
        assertNull(p.latestOf());
        assertFalse(p.clean());
        assertFalse(p.createDatabase());
        assertFalse(p.noOwner());
        assertFalse(p.singleTransaction());
        assertEquals(1, p.jobs());
        assertEquals(30, p.timeoutMinutes());
        assertEquals("staging.internal:5432/app", p.connection().serverKey());
        assertEquals("restorer", p.connection().getUsername());
        assertEquals("backups", p.storage().getBucket());
        assertEquals(Messages.Purpose_Connection("staging"), p.target());
        assertNull(p.searchPath());
    }

    @Test
    void restoresTheLatestBackupOfADatabaseWithTheOptionsAskedFor() throws AbortException {
        RestoreOptions o = named();
        o.setLatest("app");
        o.setClean(true);
        o.setCreateDatabase(true);
        o.setNoOwner(true);
        o.setJobs(4);
        RestorePlan p = map(o);
        assertEquals("app", p.latestOf());
        assertNull(p.key());
        assertTrue(p.clean() && p.createDatabase() && p.noOwner());
        assertEquals(4, p.jobs());
    }

    @Test
    void needsExactlyOneOfKeyAndLatest() {
        assertEquals(Messages.Mapping_KeyOrLatest(),
                assertThrows(AbortException.class, () -> map(named())).getMessage());
        RestoreOptions both = named();
        both.setKey("a/b.dump");
        both.setLatest("app");
        assertEquals(Messages.Mapping_KeyAndLatest(), assertThrows(AbortException.class, () -> map(both)).getMessage());
    }

    @Test
    void aKeyMayNotEscapeThePrefix() {
        RestoreOptions o = named();
        o.setKey("../other/x.dump");
        AbortException e = assertThrows(AbortException.class, () -> map(o));
        assertTrue(e.getMessage().startsWith("key: "), e.getMessage());
    }

    @Test
    void singleTransactionCannotRunParallelJobs() {
        RestoreOptions o = named();
        o.setKey("a/b.dump");
        o.setSingleTransaction(true);
        o.setJobs(2);
        assertEquals(Messages.Mapping_SingleTransactionJobs(2),
                assertThrows(AbortException.class, () -> map(o)).getMessage());
    }

    @Test
    void inlineTargetAndToolRootsAreUsed() throws AbortException {
        settings.toolRoots = List.of("/opt/pg");
        RestoreOptions o = new RestoreOptions();
        o.setKey("a/b.dump");
        o.setHost("localhost");
        o.setPort(5433);
        o.setDatabase("copy");
        o.setCredentialsId("pg-staging");
        o.setStorage("s3");
        RestorePlan p = RestoreRequestMapper.map(o, settings, credentials, "/usr/bin");
        assertEquals("localhost:5433/copy", p.connection().serverKey());
        assertEquals(List.of("/opt/pg"), p.toolSearchRoots());
        assertEquals("/usr/bin", p.searchPath());
        assertEquals(List.of("pw", "secret"), p.secrets());
    }

    @Test
    void theEngineRequestCarriesEveryDecision() throws AbortException {
        settings.toolRoots = List.of("/opt/pg");
        settings.versionCacheHours = 6;
        RestoreOptions o = named();
        o.setLatest("app");
        o.setClean(true);
        o.setCreateDatabase(true);
        o.setNoOwner(true);
        o.setJobs(3);
        o.setTimeoutMinutes(12);
        RestorePlan plan = RestoreRequestMapper.map(o, settings, credentials, "/usr/local/bin:/usr/bin");
        VersionCacheStore.Entry cached = new VersionCacheStore.Entry(plan.connection().serverKey(), 160004,
                "PostgreSQL 16.4", 1_700_000_000_000L);
        RestoreRequest r = RestoreRequestMapper.toRequest(plan, List.of(cached), ":");
        assertEquals(plan.connection(), r.getTarget());
        assertEquals(plan.storage(), r.getStorage());
        assertNull(r.getKey());
        assertEquals("app", r.getLatestOf());
        assertTrue(r.isClean() && r.isCreateDatabase());
        assertTrue(r.isNoOwner() && r.isNoAcl(), "noOwner is documented as --no-owner --no-acl");
        assertFalse(r.isSingleTransaction());
        assertEquals(3, r.getJobs());
        assertEquals(Duration.ofMinutes(12), r.getTimeout());
        assertNull(r.getPinnedVersion());
        assertEquals(List.of("/opt/pg"), r.getToolRoots());
        assertEquals(Duration.ofHours(6), r.getVersionCacheTtl());
        assertEquals(160004, r.getCachedVersions().entries().get(plan.connection().serverKey()).version()
                .versionNum());
        List<String> dirs = r.toolLocations().candidates("16");
        assertEquals(List.of("/usr/local/bin", "/usr/bin"), dirs.subList(dirs.size() - 2, dirs.size()),
                "the build's PATH is searched last");
        assertTrue(dirs.contains("/opt/pg/16/bin"), dirs.toString());
    }

    @Test
    void whenTheControllerSignsTheAgentsPlanHoldsNoKeyAndTheControllerStillMasksTheSecret() throws Exception {
        settings.targets.add(new StorageTarget("signed", "backups", "signing-keys"));
        credentials.with("signing-keys", "AKIA-SIGNS-7781", "s3cr3t-signs-7781");
        RestoreOptions o = new RestoreOptions();
        o.setConnection("staging");
        o.setStorage("signed");
        o.setKey("prod/app/app_20251117_150405.dump");

        RestorePlan controller = map(o);
        RestorePlan agent = controller.forAgent();

        assertTrue(controller.controllerSigns(), "a new target: the controller signs");
        assertTrue(controller.secrets().contains("s3cr3t-signs-7781"), "masked in the controller's log");
        assertTrue(agent.storage().isKeysElsewhere());
        assertEquals(controller.storage().location(), agent.storage().location());
        assertFalse(agent.secrets().contains("s3cr3t-signs-7781"), "the masking list is sent to the agent");
        VerifyPlan drill = VerifyRequestMapper.forAgent(new VerifyPlan(controller, null, "1", null,
                Map.of(), List.of()));
        for (Object sent : List.of(agent, drill)) {
            String bytes = serialized(sent);
            assertFalse(bytes.contains("AKIA-SIGNS-7781"), sent.toString());
            assertFalse(bytes.contains("s3cr3t-signs-7781"), sent.toString());
        }
        StorageTarget keys = new StorageTarget("keys", "backups", "signing-keys");
        keys.setAccess(StorageAccess.AGENT_KEYS);
        settings.targets.add(keys);
        o.setStorage("keys");
        RestorePlan withKeys = map(o);
        assertFalse(withKeys.controllerSigns());
        assertTrue(serialized(withKeys.forAgent()).contains("s3cr3t-signs-7781"), "agents that use the keys get them");
    }

    private static String serialized(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
