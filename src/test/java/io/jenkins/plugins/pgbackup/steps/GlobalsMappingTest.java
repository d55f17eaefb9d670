package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** includeGlobals (step or connection default) and restoreGlobals, from the options to the engine's requests. */
class GlobalsMappingTest {
    private TestSettings settings;
    private DatabaseConnection prod;
    private final MapCredentials credentials = new MapCredentials().with("pg", "backup", "pw")
            .with("aws", "AKIA", "secret");

    @BeforeEach
    void configure() {
        settings = new TestSettings();
        prod = new DatabaseConnection("prod", "db.example.com", "app", "pg");
        settings.connections.add(prod);
        settings.targets.add(new StorageTarget("s3", "backups", "aws"));
    }

    private static BackupOptions backupOptions(boolean includeGlobals) {
        BackupOptions o = new BackupOptions();
        o.setConnection("prod");
        o.setStorage("s3");
        o.setIncludeGlobals(includeGlobals);
        return o;
    }

    private boolean planned(BackupOptions o) throws AbortException {
        BackupPlan plan = BackupRequestMapper.map(o, settings, credentials, null, "test");
        boolean requested = BackupRequestMapper.toRequest(plan, List.of(), ":").isIncludeGlobals();
        assertEquals(plan.includeGlobals(), requested, "the engine's request carries the plan's choice");
        return requested;
    }

    @Test
    void globalsAreOffUnlessTheStepOrTheConnectionAsks() throws AbortException {
        assertFalse(planned(backupOptions(false)));
        assertTrue(planned(backupOptions(true)));
        prod.setIncludeGlobals(true);
        assertTrue(planned(backupOptions(false)), "the connection's default");
    }

    @Test
    void freestyleExpansionKeepsTheChoice() {
        assertTrue(backupOptions(true).expanded(UnaryOperator.identity()).isIncludeGlobals());
        RestoreOptions r = new RestoreOptions();
        r.setRestoreGlobals(true);
        assertTrue(r.expanded(UnaryOperator.identity()).isRestoreGlobals());
    }

    @Test
    void theConnectionsDefaultIsPartOfItsEquality() {
        DatabaseConnection other = new DatabaseConnection("prod", "db.example.com", "app", "pg");
        assertEquals(prod, other);
        other.setIncludeGlobals(true);
        assertFalse(prod.equals(other), "a changed default is a changed configuration");
    }

    @Test
    void restoreGlobalsReachesTheEngine() throws AbortException {
        RestoreOptions o = new RestoreOptions();
        o.setConnection("prod");
        o.setStorage("s3");
        o.setKey("prod/app/app_20251117_150405.dump");
        assertFalse(RestoreRequestMapper.toRequest(RestoreRequestMapper.map(o, settings, credentials, null),
                List.of(), ":").isRestoreGlobals());
        o.setRestoreGlobals(true);
        RestorePlan plan = RestoreRequestMapper.map(o, settings, credentials, null);
        assertTrue(plan.restoreGlobals());
        assertTrue(RestoreRequestMapper.toRequest(plan, List.of(), ":").isRestoreGlobals());
    }
}
