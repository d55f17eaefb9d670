package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.PostgresServers.Server;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Restores that fail late, when most of the backup is in: the source granted a privilege to a role that no longer
 * exists, so the restore fails at the very end, at the GRANT. Any error fails the restore; in a single transaction
 * nothing stays behind, for archives and for plain scripts (whose large-object {@code COMMIT} would otherwise end the
 * transaction half-way); {@code noAcl} skips the GRANT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreFailureTest {
    private S3ProxyServer s3;
    private Restores restores;
    private Server server;
    private String source;
    private String role;
    private BackupResult custom;
    private BackupResult plain;

    @BeforeAll
    void backUpADatabaseThatGrantsToARoleThenDropTheRole() throws Exception {
        s3 = S3ProxyServer.inMemory();
        restores = new Restores(s3, "failures");
        server = PostgresServers.get(17);
        source = Restores.name("grants_source");
        role = "reporting_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        DatabaseFingerprint.loadRichSchema(server, source);
        DatabaseFingerprint.execute(server, source, "CREATE ROLE " + role,
                "GRANT SELECT ON sales.customer TO " + role);
        custom = restores.backup(server, source, DumpFormat.CUSTOM, 1);
        plain = restores.backup(server, source, DumpFormat.PLAIN, 1);
        DatabaseFingerprint.execute(server, source, "REVOKE SELECT ON sales.customer FROM " + role,
                "DROP ROLE " + role);
    }

    @AfterAll
    void stopStorage() throws Exception {
        s3.close();
    }

    @Test
    void anArchiveThatFailsAtTheEndLeavesNothingInASingleTransaction() throws Exception {
        String target = emptyDatabase();

        RestoreException e = failed(restores.request(server.spec(target)).key(custom.getKey())
                .singleTransaction(true));

        assertTrue(e.getMessage().startsWith("pg_restore failed with exit code 1: "), e.getMessage());
        assertTrue(e.getMessage().contains("role \"" + role + "\" does not exist"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Nothing was committed: the restore ran in a single transaction."),
                e.getMessage());
        assertEquals(List.of(), TargetDatabase.userObjects(server.spec(target), 10));
    }

    @Test
    void aPlainScriptThatFailsAtTheEndLeavesNothingInASingleTransaction() throws Exception {
        String target = emptyDatabase();

        RestoreException e = failed(restores.request(server.spec(target)).key(plain.getKey())
                .singleTransaction(true));

        assertTrue(e.getMessage().startsWith("psql failed with exit code 3: "), e.getMessage());
        assertTrue(e.getMessage().contains("role \"" + role + "\" does not exist"), e.getMessage());
        assertEquals(List.of(), TargetDatabase.userObjects(server.spec(target), 10),
                "the large-object COMMIT in the script did not end the single transaction");
    }

    @Test
    void withoutASingleTransactionTheFailureSaysThatPartOfTheBackupMayBeThere() throws Exception {
        String target = emptyDatabase();

        RestoreException e = failed(restores.request(server.spec(target)).key(custom.getKey()));

        assertTrue(e.getMessage().endsWith("The target database may now hold part of the backup: restore again "
                + "with clean, or drop and recreate it."), e.getMessage());
        assertFalse(TargetDatabase.userObjects(server.spec(target), 10).isEmpty(), "part of it is there indeed");
    }

    @Test
    void aDatabaseTheFailedRestoreCreatedIsDroppedAgain() throws Exception {
        String target = Restores.name("created_then_dropped");

        RestoreException e = failed(restores.request(server.spec(target)).key(custom.getKey()).createDatabase(true));

        assertTrue(e.getMessage().endsWith("The database this restore had created was dropped again."),
                e.getMessage());
        assertFalse(DatabaseFingerprint.exists(server, target));
    }

    @Test
    void noAclLeavesTheGrantOut() throws Exception {
        String target = emptyDatabase();

        RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target)).key(custom.getKey())
                .noAcl(true).noOwner(true).build(), new RecordingLog());

        assertEquals("pg_restore", r.getTool());
        RestoreRoundTripTest.assertSameContent(server, source, server, target);
    }

    private RestoreException failed(RestoreRequest.Builder request) {
        RestoreException e = assertThrows(RestoreException.class,
                () -> new RestoreEngine().run(request.build(), new RecordingLog()));
        assertTrue(e.isTargetTouched(), e.getMessage());
        assertTrue(e.getStderrTail().contains("does not exist"), e.getStderrTail());
        return e;
    }

    private String emptyDatabase() throws Exception {
        String name = Restores.name("failing_target");
        server.createDatabase(name);
        return name;
    }
}
