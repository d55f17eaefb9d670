package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.RetentionSettings;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PlansTest {

    private static TestSettings settings() {
        TestSettings s = new TestSettings();
        s.connections.add(new DatabaseConnection("prod", "db", "app", "pg"));
        s.targets.add(new StorageTarget("s3", "backups", "aws"));
        RetentionSettings r = new RetentionSettings();
        r.setKeepLast(3);
        s.retention = r;
        return s;
    }

    private static MapCredentials credentials() {
        return new MapCredentials().with("pg", "u", "pg-password-123").with("aws", "AKIA", "aws-secret-456");
    }

    @Test
    void plansCrossToTheAgentIntactAndWithoutSecretsInTheirText() throws Exception {
        BackupOptions b = new BackupOptions();
        b.setConnection("prod");
        b.setStorage("s3");
        b.setFormat("directory");
        b.setJobs(2);
        b.setPostgresVersion("16");
        BackupPlan backup = BackupRequestMapper.map(b, settings(), credentials(), "/usr/bin", "jenkins:p#1");
        assertEquals(backup, ResultMapsTest.roundTrip(backup));
        assertNoSecrets(backup.toString());

        RestoreOptions r = new RestoreOptions();
        r.setConnection("prod");
        r.setStorage("s3");
        r.setLatest("app");
        RestorePlan restore = RestoreRequestMapper.map(r, settings(), credentials(), null);
        assertEquals(restore, ResultMapsTest.roundTrip(restore));
        assertNoSecrets(restore.toString());
    }

    @Test
    void credentialPairsDoNotPrintTheirPassword() throws AbortException {
        assertEquals("u:****", credentials().usernamePassword("pg", "x").toString());
    }

    private static void assertNoSecrets(String text) throws IOException {
        assertFalse(text.contains("pg-password-123"), text);
        assertFalse(text.contains("aws-secret-456"), text);
    }
}
