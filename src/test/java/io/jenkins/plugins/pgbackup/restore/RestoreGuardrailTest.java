package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.ManifestStore;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.testing.BackupSeeder;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.PostgresServers.Server;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What a restore refuses, and what it leaves behind when it fails: damaged, missing and foreign objects are refused
 * before the target is touched; a target that is missing or not empty is refused unless the request allows it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreGuardrailTest {
    private S3ProxyServer s3;
    private Restores restores;
    private Server server;
    private String source;
    private BackupResult backup;
    private byte[] content;
    private Map<String, String> metadata;
    private RecordingLog lastLog;

    @BeforeAll
    void backUpTheRichSchema() throws Exception {
        s3 = S3ProxyServer.inMemory();
        restores = new Restores(s3, "guardrails");
        server = PostgresServers.get(17);
        source = Restores.name("guarded_source");
        DatabaseFingerprint.loadRichSchema(server, source);
        backup = restores.backup(server, source, DumpFormat.CUSTOM, 1);
        content = s3.client().getObjectAsBytes(b -> b.bucket(restores.bucket()).key(backup.getKey())).asByteArray();
        metadata = s3.client().headObject(b -> b.bucket(restores.bucket()).key(backup.getKey())).metadata();
    }

    @AfterAll
    void stopStorage() throws Exception {
        s3.close();
    }

    @Test
    void aCorruptedObjectIsRefusedBeforeTheTargetIsTouched() throws Exception {
        byte[] flipped = content.clone();
        flipped[flipped.length / 2] ^= 0x01;
        String key = putWithManifest("corrupt.dump", flipped, content, metadata);
        String target = emptyDatabase();

        RestoreException e = refused(restores.request(server.spec(target)).key(key));

        assertTrue(e.getMessage().contains("is corrupt: its content has SHA-256"), e.getMessage());
        assertTrue(e.getMessage().contains("the target database was not touched"), e.getMessage());
        assertEmpty(target);
        String missing = Restores.name("never_created");
        refused(restores.request(server.spec(missing)).key(key).createDatabase(true));
        assertFalse(DatabaseFingerprint.exists(server, missing), "no database was created for a corrupt backup");
    }

    @Test
    void aTruncatedObjectIsRefusedBeforeTheTargetIsTouched() throws Exception {
        String key = putWithManifest("truncated.dump", Arrays.copyOf(content, content.length - 1000), content,
                metadata);
        String target = emptyDatabase();

        RestoreException e = refused(restores.request(server.spec(target)).key(key));

        assertTrue(e.getMessage().contains("the object holds " + (content.length - 1000) + " bytes, but its manifest "
                + "records " + content.length), e.getMessage());
        assertEmpty(target);
    }

    @Test
    void aTruncatedObjectOfTheFirstLayoutIsRefusedWhileReading() throws Exception {
        String key = put("truncated-legacy.dump", Arrays.copyOf(content, content.length - 1000),
                withContent(content, metadata));
        String target = emptyDatabase();

        RestoreException e = refused(restores.request(server.spec(target)).key(key));

        assertTrue(e.getMessage().contains("is truncated: it ended after " + (content.length - 1000) + " bytes, but its"
                + " metadata records " + content.length), e.getMessage());
        assertEmpty(target);
    }

    @Test
    void anObjectReplacedAfterItsBackupIsRefusedByItsManifest() throws Exception {
        String key = putWithManifest("replaced.dump", content, content, metadata);
        byte[] replaced = content.clone();
        replaced[replaced.length - 1] ^= 0x01;
        put("replaced.dump", replaced, metadata); // the same size, so only the ETag tells
        String target = emptyDatabase();

        RestoreException e = refused(restores.request(server.spec(target)).key(key));

        assertTrue(e.getMessage().contains("No backup at s3://" + restores.bucket() + "/" + key + ": the object's ETag"),
                e.getMessage());
        assertTrue(e.getMessage().contains("but its manifest records"), e.getMessage());
        assertEmpty(target);
    }

    @Test
    void aBackupOfTheFirstLayoutIsStillRestored() throws Exception {
        String key = put("first-layout.dump", content, withContent(content, metadata));
        String target = emptyDatabase();

        RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target)).key(key).build(),
                new RecordingLog());

        assertEquals(key, r.getKey());
        assertEquals(DatabaseFingerprint.of(server, source), DatabaseFingerprint.of(server, target));
    }

    @Test
    void anUnfinishedUploadIsRefusedByKey() throws Exception {
        String key = put("unfinished.dump", content, metadata);
        String target = emptyDatabase();

        RestoreException e = refused(restores.request(server.spec(target)).key(key));

        assertTrue(e.getMessage().contains("its upload never finished: there is no manifest " + key
                + ".manifest.json"), e.getMessage());
        assertEmpty(target);
    }

    @Test
    void anObjectThePluginDidNotWriteIsRefused() throws Exception {
        String key = "guardrails/foreign/notes.dump";
        BackupSeeder.putForeign(s3.client(), restores.bucket(), key, Map.of("owner", "someone else"));
        String target = emptyDatabase();

        RestoreException e = refused(restores.request(server.spec(target)).key(key));

        assertTrue(e.getMessage().contains("was not written by PostgreSQL Backup"), e.getMessage());
        assertEmpty(target);
    }

    @Test
    void aMissingObjectIsRefused() throws Exception {
        String target = emptyDatabase();

        RestoreException e = refused(restores.request(server.spec(target)).key("guardrails/nothing/here.dump"));

        assertTrue(e.getMessage().contains("No backup at s3://" + restores.bucket()
                + "/guardrails/nothing/here.dump: there is no such object"), e.getMessage());
        assertEmpty(target);
    }

    @Test
    void contentThatIsNoDumpIsRefusedEvenWithTheMetadataOfABackup() throws Exception {
        byte[] html = "<html><body>Access denied</body></html>\n".getBytes(StandardCharsets.UTF_8);
        String key = putWithManifest("not-a-dump.dump", html, html, metadata);
        String target = emptyDatabase();

        RestoreException e = refused(restores.request(server.spec(target)).key(key));

        assertTrue(e.getMessage().contains("This is not a pg_dump archive or plain dump: it begins with 3c 68 74 6d"),
                e.getMessage());
        assertEmpty(target);
    }

    @Test
    void contentOfAnotherFormatThanItsMetadataSaysIsRefused() throws Exception {
        Map<String, String> plain = new java.util.HashMap<>(metadata);
        plain.put(BackupMetadata.DUMP_FORMAT, "plain");
        String key = putWithManifest("mislabelled.sql", content, content, plain);
        String target = emptyDatabase();

        RestoreException e = refused(restores.request(server.spec(target)).key(key));

        assertTrue(e.getMessage().contains("its metadata says it is a plain dump, but its content is a custom archive"),
                e.getMessage());
        assertEmpty(target);
    }

    @Test
    void aDatabaseWithoutBackupsHasNoLatest() throws Exception {
        RestoreException e = refused(restores.request(server.spec(emptyDatabase())).latestOf("never_backed_up"));

        assertTrue(e.getMessage().startsWith("There is no backup of database 'never_backed_up' under s3://"),
                e.getMessage());
    }

    @Test
    void aTargetWithTablesIsRefusedWithoutCleanAndItsObjectsAreNamed() throws Exception {
        String target = Restores.name("occupied");
        DatabaseFingerprint.loadRichSchema(server, target);
        DatabaseFingerprint.execute(server, target, "UPDATE sales.customer SET name = 'changed' WHERE id = 1");
        Map<String, String> before = DatabaseFingerprint.of(server, target);

        RestoreException e = refused(restores.request(server.spec(target)).key(backup.getKey()));

        assertTrue(e.getMessage().contains("is not empty: it has materialized view sales.revenue_by_month, "),
                e.getMessage());
        assertTrue(e.getMessage().contains(" and more. Restoring into it would mix"), e.getMessage());
        assertTrue(e.getMessage().contains("Set clean"), e.getMessage());
        assertEquals(before, DatabaseFingerprint.of(server, target), "the target is unchanged");
        assertFalse(lastLog.all().contains("Verified"), "refused before reading the backup: " + lastLog.all());
    }

    @Test
    void cleanCannotApplyToAPlainScriptIntoATargetWithTables() throws Exception {
        BackupResult plain = restores.backup(server, source, DumpFormat.PLAIN, 1);
        String target = Restores.name("occupied_plain");
        DatabaseFingerprint.loadRichSchema(server, target);
        Map<String, String> before = DatabaseFingerprint.of(server, target);

        RestoreException e = refused(restores.request(server.spec(target)).key(plain.getKey()).clean(true));

        assertTrue(e.getMessage().contains("A plain SQL script cannot be restored with clean"), e.getMessage());
        assertEquals(before, DatabaseFingerprint.of(server, target), "the target is unchanged");
    }

    @Test
    void aTargetWithOnlyAFunctionIsNotEmptyEither() throws Exception {
        String target = emptyDatabase();
        DatabaseFingerprint.execute(server, target, "CREATE FUNCTION public.answer() RETURNS int LANGUAGE sql AS "
                + "'SELECT 42'");

        RestoreException e = refused(restores.request(server.spec(target)).key(backup.getKey()));

        assertTrue(e.getMessage().contains("is not empty: it has function answer()."), e.getMessage());
    }

    @Test
    void cleanReplacesTheContentOfATargetThatHasIt() throws Exception {
        String target = Restores.name("to_be_replaced");
        DatabaseFingerprint.loadRichSchema(server, target);
        DatabaseFingerprint.execute(server, target, "UPDATE sales.customer SET name = 'changed'",
                "DELETE FROM sales.audit", "INSERT INTO \"Größe & Maß\".\"Maßeinheit\" VALUES ('Elle', 0.5, NULL)",
                "SELECT setval('sales.invoice_no', 5)", "SELECT lo_put(424242, 0, 'CHANGED')");

        RecordingLog log = new RecordingLog();
        RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target)).key(backup.getKey())
                .clean(true).singleTransaction(true).build(), log);

        assertTrue(r.isCleaned());
        // pg_restore --clean alone fails on partitioned tables ("cannot drop inherited constraint")
        assertEquals("pg_restore | psql", r.getTool());
        assertTrue(log.all().contains("3 drop(s) of partitions' inherited constraints left to their parents"),
                log.all());
        RestoreRoundTripTest.assertSameContent(server, source, server, target);
    }

    @Test
    void createDatabaseCreatesAMissingTargetWhateverItsName() throws Exception {
        String target = Restores.name("Wiederherstellung ü 'neu' \"x\"");

        RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target)).key(backup.getKey())
                .createDatabase(true).build(), new RecordingLog());

        assertTrue(r.isDatabaseCreated());
        assertEquals(target, r.getTargetDatabase());
        RestoreRoundTripTest.assertSameContent(server, source, server, target);
    }

    @Test
    void aMissingTargetIsRefusedWithoutCreateDatabase() throws Exception {
        String target = Restores.name("missing");

        RestoreException e = refused(restores.request(server.spec(target)).key(backup.getKey()));

        assertTrue(e.getMessage().contains("does not exist. Create it (empty), or set createDatabase"), e.getMessage());
        assertFalse(DatabaseFingerprint.exists(server, target));
    }

    @Test
    void createDatabaseRestoresIntoATargetThatExistsAndIsEmpty() throws Exception {
        String target = emptyDatabase();

        RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target)).key(backup.getKey())
                .createDatabase(true).build(), new RecordingLog());

        assertFalse(r.isDatabaseCreated(), "it existed");
        RestoreRoundTripTest.assertSameContent(server, source, server, target);
    }

    @Test
    void ownerAndAclOptionsCannotApplyToAPlainScript() throws Exception {
        BackupResult plain = restores.backup(server, source, DumpFormat.PLAIN, 1);
        String target = emptyDatabase();

        RestoreException e = refused(restores.request(server.spec(target)).key(plain.getKey()).noOwner(true));

        assertTrue(e.getMessage().startsWith("noOwner and noAcl cannot apply to a plain SQL script"), e.getMessage());
        assertEmpty(target);
    }

    @Test
    void latestPicksTheNewestBackupOfTheRightDatabaseAndSkipsForeignObjects() throws Exception {
        Restores here = new Restores(s3, "latest/prod");
        String shop = Restores.name("shop");
        String other = shop + "_archive";
        server.createDatabase(shop);
        server.createDatabase(other);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DatabaseFingerprint.execute(server, shop, "CREATE TABLE marker (version text)",
                "INSERT INTO marker VALUES ('first')");
        here.backup(server, shop, DumpFormat.CUSTOM, 1, at(now.minus(Duration.ofHours(2))));
        DatabaseFingerprint.execute(server, shop, "UPDATE marker SET version = 'second'");
        BackupResult newest = here.backup(server, shop, DumpFormat.CUSTOM, 1, at(now.minus(Duration.ofHours(1))));
        DatabaseFingerprint.execute(server, other, "CREATE TABLE marker (version text)",
                "INSERT INTO marker VALUES ('other database')");
        here.backup(server, other, DumpFormat.CUSTOM, 1, at(now));
        BackupSeeder.putBackups(s3.client(), here.bucket(), "latest/prod", shop, now.minus(Duration.ofDays(1)),
                Duration.ofMinutes(1), 20);
        String foreignKey = BackupKeys.key("latest/prod", shop, now.plus(Duration.ofDays(1)), "dump");
        BackupSeeder.putForeign(s3.client(), here.bucket(), foreignKey, Map.of("database", shop));
        // the newest dump of all never got its manifest: a backup killed before its end
        BackupSeeder.putUnfinished(s3.client(), here.bucket(), "latest/prod", shop, now.plus(Duration.ofDays(2)));
        String target = emptyDatabase();

        RestoreResult r = new RestoreEngine().run(here.request(server.spec(target)).latestOf(shop).build(),
                new RecordingLog());

        assertEquals(newest.getKey(), r.getKey());
        assertEquals(shop, r.getSourceDatabase());
        try (var c = DatabaseFingerprint.connect(server, target); var s = c.createStatement();
                var rs = s.executeQuery("SELECT version FROM marker")) {
            assertTrue(rs.next());
            assertEquals("second", rs.getString(1));
        }
    }

    @Test
    void theSecondPassReadsTheVerifiedObjectOrNothing() throws Exception {
        String key = putWithManifest("overwritten.dump", content, content, metadata);
        BackupCatalog catalog = new BackupCatalog(s3.client(), restores.storage());
        BackupObject verified = catalog.verify(key);
        byte[] other = "other content".getBytes(StandardCharsets.UTF_8);
        putWithManifest("overwritten.dump", other, other, metadata);

        StorageException e = assertThrows(StorageException.class, () -> catalog.openStream(verified).close());

        assertTrue(e.getMessage().contains("Reading s3://" + restores.bucket() + "/" + key + " failed"),
                e.getMessage());
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private RestoreException refused(RestoreRequest.Builder request) {
        RecordingLog log = new RecordingLog();
        lastLog = log;
        RestoreException e = assertThrows(RestoreException.class, () -> new RestoreEngine().run(request.build(), log));
        assertFalse(e.isTargetTouched(), e.getMessage());
        assertEquals("", e.getStderrTail(), "no tool ran");
        return e;
    }

    private String emptyDatabase() throws Exception {
        String name = Restores.name("target");
        server.createDatabase(name);
        return name;
    }

    private void assertEmpty(String database) throws Exception {
        assertEquals(List.of(), TargetDatabase.userObjects(server.spec(database), 10));
    }

    private String put(String name, byte[] bytes, Map<String, String> userMetadata) {
        String key = "guardrails/tampered/" + name;
        s3.client().putObject(b -> b.bucket(restores.bucket()).key(key).metadata(userMetadata),
                RequestBody.fromBytes(bytes));
        return key;
    }

    /**
     * A backup of the manifest layout: {@code bytes} stored with the metadata, and a manifest that records the size
     * and SHA-256 of {@code recorded} and the stored object's ETag.
     */
    private String putWithManifest(String name, byte[] bytes, byte[] recorded, Map<String, String> userMetadata)
            throws Exception {
        String key = put(name, bytes, userMetadata);
        String eTag = s3.client().headObject(b -> b.bucket(restores.bucket()).key(key)).eTag();
        new ManifestStore(s3.client(), restores.bucket()).write(BackupManifest.builder(key,
                BackupMetadata.fromUserMetadata(userMetadata), recorded.length,
                TestStreams.sha256(new ByteArrayInputStream(recorded)), eTag).build());
        return key;
    }

    /** First-layout metadata of a backup whose content is {@code bytes}: right size and SHA-256. */
    private static Map<String, String> withContent(byte[] bytes, Map<String, String> original) throws Exception {
        Map<String, String> m = new java.util.HashMap<>(original);
        m.put(BackupMetadata.SIZE, Integer.toString(bytes.length));
        m.put(BackupMetadata.SHA256, TestStreams.sha256(new ByteArrayInputStream(bytes)));
        return m;
    }
}
