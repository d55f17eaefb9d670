package io.jenkins.plugins.pgbackup.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.restore.RestoreEngine;
import io.jenkins.plugins.pgbackup.restore.RestoreException;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import io.jenkins.plugins.pgbackup.restore.RestoreResult;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.ManifestStore;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.PostgresServers.Server;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import io.jenkins.plugins.pgbackup.verify.VerifyEngine;
import io.jenkins.plugins.pgbackup.verify.VerifyRecord;
import io.jenkins.plugins.pgbackup.verify.VerifyRecords;
import io.jenkins.plugins.pgbackup.verify.VerifyRequest;
import io.jenkins.plugins.pgbackup.verify.VerifyResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Restores and restore drills when the controller signs: backups taken with the keys into S3Proxy, resolved by a
 * {@link RestoreSigner} that holds the keys, and read by the engines through {@link PresignedSource} with storage
 * settings that hold none (any S3 client built from them would throw).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignedRestoreTest {
    private final AtomicInteger backupsTaken = new AtomicInteger();
    private S3ProxyServer s3;
    private StorageSettings storage;
    private Server server;
    private String source;
    private BackupResult custom;

    @BeforeAll
    void backUpWithTheKeys() throws Exception {
        s3 = S3ProxyServer.inMemory();
        storage = s3.settings(s3.createBucket(), "signed");
        server = PostgresServers.get(17);
        source = name("signed_source");
        DatabaseFingerprint.loadRichSchema(server, source);
        custom = backup(BackupRequest.builder(server.spec(source), storage).format(DumpFormat.CUSTOM));
    }

    @AfterAll
    void stopStorage() throws Exception {
        s3.close();
    }

    @Test
    void customPlainAndDirectoryBackupsRestoreWithSettingsThatHoldNoKeys() throws Exception {
        BackupResult plain = backup(BackupRequest.builder(server.spec(source), storage).format(DumpFormat.PLAIN)
                .compression(Compression.parse("gzip")));
        BackupResult directory = backup(BackupRequest.builder(server.spec(source), storage)
                .format(DumpFormat.DIRECTORY).jobs(2));
        Map<String, String> expected = DatabaseFingerprint.of(server, source);

        for (BackupResult b : List.of(custom, plain, directory)) {
            String target = emptyDatabase("signed_target");
            int jobs = b == directory ? 2 : 1;
            try (RestoreSigner signer = RestoreSigner.resolve(storage, b.getKey(), null)) {
                RecordingLog log = new RecordingLog();
                RestoreResult r = new RestoreEngine().run(signed(signer, target).key(b.getKey()).jobs(jobs)
                        .build(), log);

                assertEquals(b.getKey(), r.getKey());
                assertEquals(b.getSize(), r.getBytes());
                assertFalse(log.all().contains("X-Amz-Signature"), "no URL in the log: " + log.all());
            }
            assertEquals(expected, DatabaseFingerprint.of(server, target), b.getKey());
        }
    }

    @Test
    void theNewestEncryptedBackupOfADatabaseRestoresWithItsIdentity() throws Exception {
        KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
        String identity = new String(pair.getPrivate().getEncoded(), StandardCharsets.US_ASCII);
        String recipient = new String(pair.getPublic().getEncoded(), StandardCharsets.US_ASCII);
        String database = name("signed_encrypted");
        DatabaseFingerprint.loadRichSchema(server, database);
        backup(BackupRequest.builder(server.spec(database), storage).format(DumpFormat.CUSTOM));
        BackupResult newest = backup(BackupRequest.builder(server.spec(database), storage).format(DumpFormat.CUSTOM)
                .ageRecipients(List.of(recipient)));
        String target = emptyDatabase("signed_decrypted");

        try (RestoreSigner signer = RestoreSigner.resolve(storage, null, database)) {
            assertEquals(newest.getKey(), signer.ticket().backup().getKey(), "the controller found the newest");
            RestoreResult r = new RestoreEngine().run(signed(signer, target).latestOf(database)
                    .ageIdentities(identity).build(), new RecordingLog());
            assertEquals(newest.getKey(), r.getKey());
            assertTrue(r.getKey().endsWith(".dump.age"), r.getKey());
        }
        assertEquals(DatabaseFingerprint.of(server, database), DatabaseFingerprint.of(server, target));
    }

    @Test
    void theGlobalsStoredWithTheBackupAreReadThroughTheirOwnSignedUrl() throws Exception {
        String owner = name("signed_owner");
        String database = name("signed_globals");
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + owner + " NOLOGIN");
            s.execute("CREATE DATABASE " + database + " OWNER " + owner);
        }
        DatabaseFingerprint.execute(server, database, "CREATE TABLE t (id int)", "ALTER TABLE t OWNER TO " + owner,
                "INSERT INTO t VALUES (1), (2)");
        BackupResult withGlobals = backup(BackupRequest.builder(server.spec(database), storage)
                .format(DumpFormat.CUSTOM).includeGlobals(true));
        String target = name("signed_globals_target");

        try (RestoreSigner signer = RestoreSigner.resolve(storage, withGlobals.getKey(), null)) {
            assertNotNull(signer.ticket().globals(), "the controller found the globals");
            RestoreResult r = new RestoreEngine().run(signed(signer, target).key(withGlobals.getKey())
                    .createDatabase(true).restoreGlobals(true).build(), new RecordingLog());

            assertEquals(signer.ticket().globals().getKey(), r.getGlobalsKey());
            assertTrue(r.getRolesKept().contains(owner), "the server has the role already: " + r.getRolesKept());
        }
        assertEquals(DatabaseFingerprint.of(server, database), DatabaseFingerprint.of(server, target));
    }

    @Test
    void aDrillReadsThroughSignedUrlsAndTheControllerWritesItsRecord() throws Exception {
        try (RestoreSigner signer = RestoreSigner.resolve(storage, custom.getKey(), null)) {
            RecordingLog log = new RecordingLog();
            VerifyResult result = new VerifyEngine().run(VerifyRequest.builder(signed(signer, "postgres")
                    .key(custom.getKey()).build()).build("7").build(), log);

            assertTrue(result.isPassed(), result.getRecord().getChecks().toString());
            assertEquals("restore, tables", String.join(", ", result.getRecord().getChecks().stream()
                    .map(c -> c.name()).toList()));
            assertNull(result.getRecordKey(), "the agent writes nothing");
            assertTrue(log.all().contains("The controller records the result"), log.all());

            String key = signer.writeVerifyRecord(result.getRecord().getKey(), result.getRecord().toJson());

            assertEquals(VerifyRecord.keyFor(custom.getKey()), key);
            VerifyRecord stored = new VerifyRecords(s3.client(), storage.getBucket()).read(custom.getKey())
                    .orElseThrow();
            assertTrue(stored.isPassed());
            assertEquals(result.getRecord().getScratchDatabase(), stored.getScratchDatabase());
            StorageException other = assertThrows(StorageException.class,
                    () -> signer.writeVerifyRecord("signed/other/other.dump", result.getRecord().toJson()));
            assertTrue(other.getMessage().startsWith("Refused to record"), other.getMessage());
        }
    }

    @Test
    void aCorruptedObjectIsRefusedAsWithTheKeys() throws Exception {
        byte[] content = bytes(custom.getKey());
        byte[] flipped = content.clone();
        flipped[flipped.length / 2] ^= 0x01;
        String key = putWithManifest("corrupt.dump", flipped, content);
        String target = emptyDatabase("signed_corrupt");

        try (RestoreSigner signer = RestoreSigner.resolve(storage, key, null)) {
            RestoreException e = assertThrows(RestoreException.class, () -> new RestoreEngine()
                    .run(signed(signer, target).key(key).build(), new RecordingLog()));

            assertTrue(e.getMessage().contains("is corrupt: its content has SHA-256"), e.getMessage());
            assertFalse(e.isTargetTouched());
        }
        assertEquals(0, DatabaseFingerprint.totalRows(DatabaseFingerprint.of(server, target)));
    }

    @Test
    void aDownloadCutShortIsRefusedBeforeTheTargetIsTouched() throws Exception {
        String target = emptyDatabase("signed_broken");
        try (RestoreSigner signer = RestoreSigner.resolve(storage, custom.getKey(), null)) {
            s3.faults().breakDownloadsAfter(1000);
            try {
                RestoreException e = assertThrows(RestoreException.class, () -> new RestoreEngine()
                        .run(signed(signer, target).key(custom.getKey()).build(), new RecordingLog()));

                assertTrue(e.getMessage().contains("s3://" + storage.getBucket() + "/" + custom.getKey()),
                        e.getMessage());
                assertTrue(e.getMessage().contains("the target database was not touched"), e.getMessage());
                assertFalse(e.getMessage().contains("X-Amz-"), "no presigned URL in the message");
                assertFalse(e.isTargetTouched());
            } finally {
                s3.faults().reset();
            }
        }
    }

    @Test
    void anObjectReplacedAfterTheControllerCheckedItIsRefused() throws Exception {
        byte[] content = bytes(custom.getKey());
        String key = putWithManifest("replaced.dump", content, content);

        try (RestoreSigner signer = RestoreSigner.resolve(storage, key, null)) {
            PresignedSource agent = new PresignedSource(signer.ticket(), signer);
            try (InputStream in = agent.openStream(agent.head(key))) {
                assertEquals(content.length, in.transferTo(OutputStream.nullOutputStream()));
            }
            byte[] other = "other content".getBytes(StandardCharsets.UTF_8);
            putWithManifest("replaced.dump", other, other);

            StorageException e = assertThrows(StorageException.class, () -> agent.openStream(agent.head(key)));

            assertTrue(e.getMessage().contains("it was replaced after the controller checked it"), e.getMessage());
        }
    }

    @Test
    void theGrantSignsTheBackupAndItsGlobalsAndNothingElse() throws Exception {
        try (RestoreSigner signer = RestoreSigner.resolve(storage, custom.getKey(), null)) {
            for (String other : List.of(custom.getKey() + ".manifest.json", "signed/other/x.dump", "",
                    custom.getKey().replace(".dump", ".globals.sql"), custom.getKey() + " ")) {
                StorageException e = assertThrows(StorageException.class, () -> signer.presign(other));
                assertTrue(e.getMessage().startsWith("Refused to sign"), e.getMessage());
            }
            assertEquals(custom.getKey(), signer.presign(custom.getKey()).key());

            PresignedSource agent = new PresignedSource(signer.ticket(), signer);
            assertThrows(StorageException.class, () -> agent.head("signed/other/x.dump"));
            assertThrows(StorageException.class, () -> agent.latest("other"));
            BackupObject elsewhere = new BackupObject("signed/other/x.dump", 1, Instant.now(), "\"e\"",
                    signer.ticket().backup().getMetadata());
            assertThrows(StorageException.class, () -> agent.openStream(elsewhere));
        }
        RestoreSigner ended = RestoreSigner.resolve(storage, custom.getKey(), null);
        ended.close();
        StorageException e = assertThrows(StorageException.class, () -> ended.presign(custom.getKey()));
        assertTrue(e.getMessage().contains("has ended"), e.getMessage());
    }

    @Test
    void s3ProxyRefusesAUrlSignedForOneKeyWhenItIsUsedForAnother() throws Exception {
        BackupResult second = backup(BackupRequest.builder(server.spec(source), storage).format(DumpFormat.CUSTOM));
        try (RestoreSigner signer = RestoreSigner.resolve(storage, custom.getKey(), null)) {
            String url = signer.presign(custom.getKey()).url();
            assertTrue(url.contains("X-Amz-Signature="), "SigV4 query-string authentication");
            assertEquals(200, status(url));

            assertEquals("403 SignatureDoesNotMatch", answer(url.replace(custom.getKey(), second.getKey())),
                    "another key");
            assertEquals("403 SignatureDoesNotMatch", answer(url.replace("X-Amz-Expires=900", "X-Amz-Expires=901")),
                    "a longer life");
        }
    }

    @Test
    void aUrlThatExpiredBetweenTwoReadsIsSignedAgain() throws Exception {
        try (RestoreSigner shortLived = RestoreSigner.resolve(storage, custom.getKey(), null, Duration.ofSeconds(1));
                RestoreSigner signer = RestoreSigner.resolve(storage, custom.getKey(), null)) {
            AtomicInteger asked = new AtomicInteger();
            // The first URL lives a second; the ones after it, as long as usual.
            RestoreGrant grant = key -> (asked.getAndIncrement() == 0 ? shortLived : signer).presign(key);
            // A clock that never sees the URL expire, so the agent tries it and the server refuses it.
            Clock stopped = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
            PresignedSource agent = new PresignedSource(signer.ticket(), grant, stopped);
            BackupObject backup = agent.head(custom.getKey());
            read(agent, backup);
            String first = shortLived.presign(custom.getKey()).url();
            Thread.sleep(2500);
            assertEquals("403 AccessDenied", answer(first), "S3Proxy refuses an expired URL");

            read(agent, backup);

            assertEquals(2, asked.get(), "signed once more after the refusal");
        }
    }

    @Test
    void aUrlAboutToExpireIsSignedAgainBeforeTheRead() throws Exception {
        try (RestoreSigner signer = RestoreSigner.resolve(storage, custom.getKey(), null)) {
            AtomicInteger asked = new AtomicInteger();
            RestoreGrant grant = key -> {
                asked.incrementAndGet();
                return signer.presign(key);
            };
            PresignedSource agent = new PresignedSource(signer.ticket(), grant, Clock.offset(Clock.systemUTC(),
                    RestoreSigner.LIFETIME.minus(PresignedSource.MARGIN).plusSeconds(1)));
            BackupObject backup = agent.head(custom.getKey());
            read(agent, backup);
            read(agent, backup);
            assertEquals(2, asked.get(), "each read found the URL at hand too close to its end");

            PresignedSource fresh = new PresignedSource(signer.ticket(), grant);
            read(fresh, backup);
            read(fresh, backup);
            assertEquals(3, asked.get(), "a URL with time left is used again");
        }
    }

    @Test
    void theRequestsSentToTheAgentHoldNeitherKeyNorUrl() throws Exception {
        try (RestoreSigner signer = RestoreSigner.resolve(storage, custom.getKey(), null)) {
            RestoreRequest restore = signed(signer, "anything").key(custom.getKey()).build();
            VerifyRequest verify = VerifyRequest.builder(restore).build("1").build();

            for (Object sent : List.of(restore, verify, signer.ticket())) {
                String bytes = serialized(sent);
                assertFalse(bytes.contains(S3ProxyServer.ACCESS_KEY), sent.getClass().getSimpleName());
                assertFalse(bytes.contains(S3ProxyServer.SECRET_KEY), sent.getClass().getSimpleName());
                assertFalse(bytes.contains("X-Amz-"), sent.getClass().getSimpleName());
            }
            // The search finds keys where they are: the request of the keys mode carries both.
            String withKeys = serialized(RestoreRequest.builder(server.spec("anything"), storage).key("k").build());
            assertTrue(withKeys.contains(S3ProxyServer.ACCESS_KEY) && withKeys.contains(S3ProxyServer.SECRET_KEY));
            // A presigned URL names the access key id (X-Amz-Credential), never the secret.
            String url = signer.presign(custom.getKey()).url();
            assertFalse(url.contains(S3ProxyServer.SECRET_KEY));
            assertFalse(signer.presign(custom.getKey()).toString().contains("X-Amz-"), "toString leaves the URL out");
        }
        assertThrows(IllegalArgumentException.class, () -> RestoreRequest.builder(server.spec("x"), storage)
                .key("k").signed(new RestoreTicket("b", null, bytesObject(), null, null), key -> null).build(),
                "a signed request refuses settings with keys");
    }

    private BackupObject bytesObject() throws Exception {
        try (RestoreSigner signer = RestoreSigner.resolve(storage, custom.getKey(), null)) {
            return signer.ticket().backup();
        }
    }

    private RestoreRequest.Builder signed(RestoreSigner signer, String targetDatabase) {
        return RestoreRequest.builder(server.spec(targetDatabase), storage.withoutKeys())
                .toolLocations(clients())
                .signed(signer.ticket(), signer);
    }

    private static void read(PresignedSource agent, BackupObject backup) throws Exception {
        try (InputStream in = agent.openStream(backup)) {
            assertEquals(backup.getMetadata().getSize(), in.transferTo(OutputStream.nullOutputStream()));
        }
    }

    private static int status(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            int status = c.getResponseCode();
            try (InputStream in = status == 200 ? c.getInputStream() : c.getErrorStream()) {
                if (in != null) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            return status;
        } finally {
            c.disconnect();
        }
    }

    /** The status and S3's error code of a GET. */
    private static String answer(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            int status = c.getResponseCode();
            if (status == 200) {
                return "200";
            }
            try (InputStream in = c.getErrorStream()) {
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return status + " " + body.replaceAll("(?s).*<Code>([^<]*)</Code>.*", "$1");
            }
        } finally {
            c.disconnect();
        }
    }

    private static String serialized(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private byte[] bytes(String key) {
        return s3.client().getObjectAsBytes(b -> b.bucket(storage.getBucket()).key(key)).asByteArray();
    }

    /** A copy of the custom backup's metadata with {@code bytes} stored and a manifest recording {@code recorded}. */
    private String putWithManifest(String name, byte[] bytes, byte[] recorded) throws Exception {
        Map<String, String> metadata = s3.client().headObject(b -> b.bucket(storage.getBucket())
                .key(custom.getKey())).metadata();
        String key = "signed/tampered/" + name;
        s3.client().putObject(b -> b.bucket(storage.getBucket()).key(key).metadata(metadata),
                RequestBody.fromBytes(bytes));
        String eTag = s3.client().headObject(b -> b.bucket(storage.getBucket()).key(key)).eTag();
        new ManifestStore(s3.client(), storage.getBucket()).write(BackupManifest.builder(key,
                BackupMetadata.fromUserMetadata(metadata), recorded.length,
                TestStreams.sha256(new ByteArrayInputStream(recorded)), eTag).build());
        return key;
    }

    /** Backups a minute apart on their clocks: keys name the second. */
    private BackupResult backup(BackupRequest.Builder request) throws Exception {
        Clock apart = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(backupsTaken.getAndIncrement()));
        return new BackupEngine(apart).run(request.toolLocations(clients()).build(), new RecordingLog());
    }

    private static ToolLocations clients() {
        return ToolLocations.of(List.of(), List.of(PgClients.requireRoot().toString()), List.of());
    }

    private String emptyDatabase(String stem) throws Exception {
        String name = name(stem);
        server.createDatabase(name);
        return name;
    }

    private static String name(String stem) {
        return stem + "_" + UUID.randomUUID().toString().substring(0, 8);
    }
}
