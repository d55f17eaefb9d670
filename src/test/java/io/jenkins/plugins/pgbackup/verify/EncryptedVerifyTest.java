package io.jenkins.plugins.pgbackup.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Drills of age-encrypted backups: the table check reads what the backup holds from the decrypted dump, as the
 * restore does, for archives and plain scripts alike.
 */
class EncryptedVerifyTest {
    private static S3ProxyServer s3;
    private static StorageSettings storage;
    private static PostgresServers.Server server;
    private static String database;
    private static String identity;
    private static String recipient;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.inMemory();
        storage = s3.settings(s3.createBucket(), "encrypted");
        server = PostgresServers.get(17);
        database = "verify_age_" + UUID.randomUUID().toString().substring(0, 8);
        server.createDatabase(database);
        DatabaseFingerprint.execute(server, database, "CREATE TABLE public.orders (id int PRIMARY KEY, total numeric)",
                "INSERT INTO public.orders SELECT g, g * 1.5 FROM generate_series(1, 700) g");
        KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
        identity = new String(pair.getPrivate().getEncoded(), StandardCharsets.US_ASCII);
        recipient = new String(pair.getPublic().getEncoded(), StandardCharsets.US_ASCII);
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    @ParameterizedTest
    @CsvSource({"CUSTOM, gzip", "TAR, none", "PLAIN, gzip", "PLAIN, none"})
    void anEncryptedBackupPassesTheTableCheckAgainstItsDecryptedContent(DumpFormat format, String compression)
            throws Exception {
        BackupResult backup = backup(format, Compression.parse(compression));

        VerifyResult result = verify(backup);

        assertTrue(backup.getKey().endsWith(".age"), backup.getKey());
        VerifyCheck tables = check(result, "tables");
        assertEquals(VerifyCheck.Outcome.PASSED, tables.outcome(), tables.detail());
        assertTrue(tables.detail().contains("with data"), tables.detail());
        assertTrue(result.isPassed(), result.getRecord().getChecks().toString());
    }

    private static BackupResult backup(DumpFormat format, Compression compression) throws Exception {
        return new BackupEngine().run(BackupRequest.builder(server.spec(database), storage).format(format)
                .compression(compression).ageRecipients(List.of(recipient)).toolLocations(clients()).build(),
                new RecordingLog());
    }

    private static VerifyResult verify(BackupResult backup) throws Exception {
        RestoreRequest restore = RestoreRequest.builder(server.spec("postgres"), storage).toolLocations(clients())
                .key(backup.getKey()).ageIdentities(identity).build();
        String build = "age_" + UUID.randomUUID().toString().substring(0, 6);
        return new VerifyEngine().run(VerifyRequest.builder(restore).build(build).build(), new RecordingLog());
    }

    private static ToolLocations clients() {
        return ToolLocations.of(List.of(), List.of(PgClients.requireRoot().toString()), List.of());
    }

    private static VerifyCheck check(VerifyResult r, String name) {
        return r.getRecord().getChecks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + r.getRecord().getChecks()));
    }
}
