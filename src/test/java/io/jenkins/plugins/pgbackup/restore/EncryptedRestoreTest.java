package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.ManifestStore;
import io.jenkins.plugins.pgbackup.testing.AgeCli;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.PostgresServers.Server;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Backups encrypted with age for several recipients, taken from a real server into S3Proxy and restored by the restore
 * engine; refusals before the target is touched; and the {@code age} tool reading our objects and writing ones we
 * restore.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptedRestoreTest {
    private S3ProxyServer s3;
    private Restores restores;
    private Server server;
    private String source;
    private Pair first;
    private Pair second;
    private BackupResult encrypted;
    private byte[] stored;

    @TempDir
    Path dir;

    /** An identity and its recipient, made by jagged's generator. */
    record Pair(String identity, String recipient) {
        static Pair generate() throws Exception {
            KeyPair k = new X25519KeyPairGenerator().generateKeyPair();
            return new Pair(new String(k.getPrivate().getEncoded(), StandardCharsets.US_ASCII),
                    new String(k.getPublic().getEncoded(), StandardCharsets.US_ASCII));
        }
    }

    @BeforeAll
    void backUpEncrypted() throws Exception {
        s3 = S3ProxyServer.inMemory();
        restores = new Restores(s3, "encrypted");
        server = PostgresServers.get(17);
        source = Restores.name("encrypted_source");
        DatabaseFingerprint.loadRichSchema(server, source);
        first = Pair.generate();
        second = Pair.generate();
        encrypted = backup(DumpFormat.CUSTOM, 1, List.of(first.recipient(), second.recipient()));
        stored = bytes(encrypted.getKey());
    }

    @AfterAll
    void stopStorage() throws Exception {
        s3.close();
    }

    @Test
    void anEncryptedCustomArchiveNamesItsRecipientsAndEachIdentityAloneRestoresIt() throws Exception {
        assertTrue(encrypted.getKey().endsWith(".dump.age"), encrypted.getKey());
        assertTrue(new String(stored, 0, 22, StandardCharsets.US_ASCII).startsWith("age-encryption.org/v1\n"));
        assertEquals(TestStreams.sha256(new ByteArrayInputStream(stored)), encrypted.getSha256(),
                "the SHA-256 is of the stored, encrypted bytes");
        Map<String, String> start = s3.client().headObject(b -> b.bucket(restores.bucket())
                .key(encrypted.getKey())).metadata();
        assertEquals("age", start.get("encryption"));
        assertEquals(AgeKeys.fingerprint(first.recipient()) + "," + AgeKeys.fingerprint(second.recipient()),
                start.get("recipients"), "fingerprints, known at the start");
        BackupManifest manifest = new ManifestStore(s3.client(), restores.bucket()).read(encrypted.getKey())
                .orElseThrow();
        assertEquals("age", manifest.getMetadata().getEncryption());
        assertFalse(start.toString().contains(first.recipient()), "fingerprints, not keys");

        for (Pair identity : List.of(first, second)) {
            String target = emptyDatabase("decrypted");
            RecordingLog log = new RecordingLog();
            RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target)).key(encrypted.getKey())
                    .ageIdentities(identity.identity()).build(), log);

            assertEquals("custom", r.getArchiveFormat(), "the header check saw the decrypted dump");
            assertEquals("pg_restore", r.getTool());
            assertTrue(log.all().contains("encrypted with age"), log.all());
            assertFalse(log.all().contains(identity.identity()), "the identity is never logged");
            RestoreRoundTripTest.assertSameContent(server, source, server, target);
        }
    }

    @Test
    void anEncryptedDirectoryDumpRestoresWithTwoJobs() throws Exception {
        BackupResult directory = backup(DumpFormat.DIRECTORY, 2, List.of(second.recipient()));
        assertTrue(directory.getKey().endsWith(".dir.tar.age"), directory.getKey());
        byte[] bytes = bytes(directory.getKey());
        assertTrue(new String(bytes, 0, 21, StandardCharsets.US_ASCII).equals("age-encryption.org/v1"));

        String target = emptyDatabase("decrypted_directory");
        Path work = dir.resolve("workspace@tmp");
        RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target)).key(directory.getKey())
                .jobs(2).workDirectory(work).ageIdentities(second.identity()).build(), new RecordingLog());

        assertEquals("directory", r.getArchiveFormat());
        assertEquals(2, r.getJobs());
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "the unpacked dump was deleted");
        }
        RestoreRoundTripTest.assertSameContent(server, source, server, target);
    }

    @Test
    void withoutAnIdentityOrWithAnotherOneTheRestoreIsRefusedBeforeTheTargetIsTouched() throws Exception {
        String missing = Restores.name("never_created");
        RestoreException none = refused(restores.request(server.spec(missing)).key(encrypted.getKey())
                .createDatabase(true));
        assertTrue(none.getMessage().contains("is encrypted with age"), none.getMessage());
        assertTrue(none.getMessage().contains(AgeKeys.fingerprint(first.recipient())), none.getMessage());
        assertFalse(DatabaseFingerprint.exists(server, missing), "not even created");

        Pair stranger = Pair.generate();
        String target = emptyDatabase("wrong_identity");
        RestoreException wrong = refused(restores.request(server.spec(target)).key(encrypted.getKey())
                .ageIdentities(stranger.identity()));
        assertTrue(wrong.getMessage().contains("for other keys"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains(AgeKeys.fingerprint(stranger.recipient())), wrong.getMessage());
        assertFalse(wrong.getMessage().contains(stranger.identity()));
        assertEquals(List.of(), TargetDatabase.userObjects(server.spec(target), 10));

        RestoreException parallel = refused(restores.request(server.spec(target)).key(encrypted.getKey())
                .ageIdentities(first.identity()).jobs(2));
        assertTrue(parallel.getMessage().contains("jobs: 1"), parallel.getMessage());
    }

    @Test
    void aFlippedByteIsRefusedEvenWhenTheManifestWasForgedToMatchIt() throws Exception {
        byte[] flipped = stored.clone();
        flipped[flipped.length / 2] ^= 0x01;
        String key = putWithManifest("flipped_20260101_000000.dump.age", flipped);
        String target = emptyDatabase("flipped");

        RestoreException e = refused(restores.request(server.spec(target)).key(key)
                .ageIdentities(first.identity()));

        assertTrue(e.getMessage().contains("changed or cut"), e.getMessage());
        assertEquals(List.of(), TargetDatabase.userObjects(server.spec(target), 10));
    }

    @Test
    void theAgeToolDecryptsAStoredBackupIntoADumpThatPgRestoreReads() throws Exception {
        AgeCli.require();
        AgeCli.Key key = AgeCli.keygen(dir);
        BackupResult forCli = backup(DumpFormat.CUSTOM, 1, List.of(key.recipient()));
        Path object = dir.resolve("object.dump.age");
        Files.write(object, bytes(forCli.getKey()));
        Path dump = dir.resolve("object.dump");

        ProcessResult decrypted = AgeCli.decrypt(object, dump, key.file());
        assertTrue(decrypted.succeeded(), decrypted.stderr());

        ProcessResult list = ProcessRunner.of(List.of(PgClients.tool(17, "pg_restore").toString(), "--list",
                dump.toString())).stdoutCaptureLimit(16 * 1024 * 1024).run();
        assertTrue(list.succeeded(), list.stderr());
        assertTrue(list.stdoutText().contains("TABLE DATA sales customer"), list.stdoutText());
    }

    @Test
    void aBackupEncryptedByTheAgeToolRestoresThroughThePlugin() throws Exception {
        AgeCli.require();
        AgeCli.Key key = AgeCli.keygen(dir);
        BackupResult plain = backup(DumpFormat.CUSTOM, 1, List.of());
        assertFalse(plain.getKey().endsWith(".age"));
        Path dump = dir.resolve("plain.dump");
        Files.write(dump, bytes(plain.getKey()));
        Path object = dir.resolve("by-age.dump.age");
        AgeCli.encrypt(dump, object, List.of(key.recipient()));
        String stored = putWithManifest("by_age_20260101_000000.dump.age", Files.readAllBytes(object),
                List.of(key.recipient()));
        String target = emptyDatabase("from_age_tool");

        RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target)).key(stored)
                .ageIdentities(Files.readString(key.file())).build(), new RecordingLog());

        assertEquals("custom", r.getArchiveFormat());
        RestoreRoundTripTest.assertSameContent(server, source, server, target);
    }

    private BackupResult backup(DumpFormat format, int jobs, List<String> recipients) throws Exception {
        return restores.backup(BackupRequest.builder(server.spec(source), restores.storage()).format(format)
                .jobs(jobs).ageRecipients(recipients), Clock.systemUTC());
    }

    private byte[] bytes(String key) {
        return s3.client().getObjectAsBytes(b -> b.bucket(restores.bucket()).key(key)).asByteArray();
    }

    private String putWithManifest(String name, byte[] bytes) throws Exception {
        return putWithManifest(name, bytes, List.of(first.recipient(), second.recipient()));
    }

    /** An encrypted backup of the manifest layout whose manifest agrees with {@code bytes}. */
    private String putWithManifest(String name, byte[] bytes, List<String> recipients) throws Exception {
        String key = "encrypted/" + source + "/" + name;
        BackupMetadata metadata = BackupMetadata.builder(source, java.time.Instant.now()).dumpFormat("custom")
                .postgresVersion("17").encryptedWithAge(AgeKeys.fingerprints(recipients)).build();
        String eTag = s3.client().putObject(b -> b.bucket(restores.bucket()).key(key)
                .metadata(metadata.toUserMetadata()), RequestBody.fromBytes(bytes)).eTag();
        new ManifestStore(s3.client(), restores.bucket()).write(BackupManifest.builder(key, metadata, bytes.length,
                TestStreams.sha256(new ByteArrayInputStream(bytes)), eTag).build());
        return key;
    }

    private RestoreException refused(RestoreRequest.Builder request) {
        RestoreException e = assertThrows(RestoreException.class,
                () -> new RestoreEngine().run(request.build(), new RecordingLog()));
        assertFalse(e.isTargetTouched(), e.getMessage());
        assertTrue(e.getMessage().contains("not touched"), e.getMessage());
        return e;
    }

    private String emptyDatabase(String stem) throws Exception {
        String name = Restores.name(stem);
        server.createDatabase(name);
        return name;
    }
}
