package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which age keys a step's plan carries: the step's over the target's, checked on the controller, the identity masked. */
class AgeMappingTest {
    private TestSettings settings;
    private MapCredentials credentials;
    private StorageTarget target;
    private String[] targetKey;
    private String[] stepKey;
    private String[] credentialKey;

    @BeforeEach
    void configure() throws Exception {
        targetKey = pair();
        stepKey = pair();
        credentialKey = pair();
        settings = new TestSettings();
        settings.connections.add(new DatabaseConnection("prod", "db.example.com", "app", "pg-prod"));
        target = new StorageTarget("s3", "backups", "s3-keys");
        target.setAgeRecipients("# ops key\n" + targetKey[1]);
        target.setAgeIdentityCredentialsId("target-identity");
        settings.targets.add(target);
        credentials = new MapCredentials().with("pg-prod", "backup", "pw").with("s3-keys", "AKIA", "secret");
        credentials.secrets.put("target-identity", "# created: today\n# public key: " + targetKey[1] + "\n"
                + targetKey[0] + "\n");
        credentials.secrets.put("step-identity", stepKey[0]);
        credentials.secrets.put("recipients", credentialKey[1]);
        credentials.secrets.put("not-a-key", "hunter2");
    }

    /** identity, recipient */
    private static String[] pair() throws Exception {
        KeyPair k = new X25519KeyPairGenerator().generateKeyPair();
        return new String[] {new String(k.getPrivate().getEncoded(), StandardCharsets.US_ASCII),
                new String(k.getPublic().getEncoded(), StandardCharsets.US_ASCII)};
    }

    private static <T extends CommonOptions> T named(T o) {
        o.setConnection("prod");
        o.setStorage("s3");
        return o;
    }

    private BackupPlan backup(BackupOptions o) throws AbortException {
        return BackupRequestMapper.map(o, settings, credentials, null, "jenkins:job#1");
    }

    private RestorePlan restore(RestoreOptions o) throws AbortException {
        o.setLatest("app");
        return RestoreRequestMapper.map(o, settings, credentials, null);
    }

    @Test
    void aBackupEncryptsForTheTargetsRecipientsUnlessTheStepGivesItsOwn() throws Exception {
        assertEquals(List.of(targetKey[1]), backup(named(new BackupOptions())).ageRecipients());

        BackupOptions own = named(new BackupOptions());
        own.setAgeRecipients(stepKey[1]);
        own.setAgeRecipientsCredentialsId("recipients");
        BackupPlan p = backup(own);
        assertEquals(List.of(stepKey[1], credentialKey[1]), p.ageRecipients());
        BackupRequest r = BackupRequestMapper.toRequest(p, List.of(), ":");
        assertEquals(List.of(stepKey[1], credentialKey[1]), r.getAgeRecipients());

        target.setAgeRecipients(null);
        assertEquals(List.of(), backup(named(new BackupOptions())).ageRecipients(), "no recipients: unencrypted");
    }

    @Test
    void anInvalidRecipientOrAPastedIdentityAbortsWithoutShowingTheSecret() {
        BackupOptions bad = named(new BackupOptions());
        bad.setAgeRecipients("age1qqqq");
        AbortException invalid = assertThrows(AbortException.class, () -> backup(bad));
        assertTrue(invalid.getMessage().contains("age1qqqq"), invalid.getMessage());

        BackupOptions pasted = named(new BackupOptions());
        pasted.setAgeRecipients(stepKey[0]);
        AbortException secret = assertThrows(AbortException.class, () -> backup(pasted));
        assertFalse(secret.getMessage().contains(stepKey[0]), secret.getMessage());
        assertTrue(secret.getMessage().contains("public key"), secret.getMessage());
    }

    @Test
    void aRestoreDecryptsWithTheStepsIdentityElseTheTargetsAndMasksIt() throws Exception {
        RestorePlan fromTarget = restore(named(new RestoreOptions()));
        RestoreRequest request = RestoreRequestMapper.toRequest(fromTarget, List.of(), ":");
        assertEquals(List.of(targetKey[0]), request.getAgeIdentities());
        assertFalse(fromTarget.toString().contains(targetKey[0]), fromTarget.toString());

        RestoreOptions own = named(new RestoreOptions());
        own.setAgeIdentityCredentialsId("step-identity");
        RestorePlan fromStep = restore(own);
        assertEquals(List.of(stepKey[0]), RestoreRequestMapper.toRequest(fromStep, List.of(), ":")
                .getAgeIdentities());

        List<String> shown = new ArrayList<>();
        EngineLog sink = new EngineLog() {
            @Override
            public void info(String line) {
                shown.add(line);
            }

            @Override
            public void warn(String line) {
                shown.add(line);
            }
        };
        new MaskingEngineLog(sink, fromStep.secrets()).info("key " + stepKey[0] + " and "
                + stepKey[0].toLowerCase(java.util.Locale.ROOT));
        assertFalse(String.join("\n", shown).toUpperCase(java.util.Locale.ROOT).contains(stepKey[0]), shown.toString());

        target.setAgeIdentityCredentialsId(null);
        assertNull(restore(named(new RestoreOptions())).ageIdentity(), "no identity configured");
    }

    @Test
    void aCredentialThatHoldsNoIdentityAbortsWithoutShowingIt() {
        RestoreOptions o = named(new RestoreOptions());
        o.setAgeIdentityCredentialsId("not-a-key");
        AbortException e = assertThrows(AbortException.class, () -> restore(o));
        assertTrue(e.getMessage().contains("not-a-key"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
