package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.Jdbc;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.db.SslMode;
import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupException;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.dump.StoredGlobals;
import io.jenkins.plugins.pgbackup.process.PgPassFile;
import io.jenkins.plugins.pgbackup.retention.RetentionPolicy;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.testing.MutableClock;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.PostgresServers.Server;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolResolver;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * includeGlobals and restoreGlobals end to end: a database owned by a role of its own, with grants to another, is
 * backed up with the cluster's globals from a real server and restored onto a fresh server that has none of its roles.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GlobalsRoundTripTest {
    private static final int MAJOR = 17;

    private S3ProxyServer s3;
    private Restores restores;
    private final AtomicInteger backupsTaken = new AtomicInteger();
    private Server source;
    private Server fresh;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String owner = "app_owner_" + suffix;
    private final String reader = "Report Reader " + suffix; // needs quoting everywhere
    private final String database = "globals_src_" + suffix;

    @BeforeAll
    void setUp() throws Exception {
        s3 = S3ProxyServer.inMemory();
        restores = new Restores(s3, "globals");
        source = PostgresServers.get(MAJOR);
        fresh = PostgresServers.startFresh(MAJOR);
        try (Connection c = source.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + owner + " LOGIN PASSWORD 'owner-secret'");
            s.execute("CREATE ROLE \"" + reader + "\" NOLOGIN");
            s.execute("COMMENT ON ROLE " + owner + " IS 'owns the app;\n-- not a comment'");
            s.execute("GRANT \"" + reader + "\" TO " + owner);
            s.execute("CREATE DATABASE " + database + " OWNER " + owner);
        }
        try (Connection c = source.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA app AUTHORIZATION " + owner);
            s.execute("CREATE TABLE app.orders (id int PRIMARY KEY, item text)");
            s.execute("ALTER TABLE app.orders OWNER TO " + owner);
            s.execute("INSERT INTO app.orders VALUES (1, 'tea'), (2, 'cake')");
            s.execute("GRANT USAGE ON SCHEMA app TO \"" + reader + "\"");
            s.execute("GRANT SELECT ON app.orders TO \"" + reader + "\"");
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        if (fresh != null) {
            fresh.close();
        }
        s3.close();
    }

    @Test
    void aDatabaseOwnedByItsOwnRoleRestoresOntoAFreshServerWithItsGlobalsOwnerAndGrants() throws Exception {
        BackupResult backup = backupWithGlobals(Clock.systemUTC());
        String target = "restored_" + suffix;

        // Without the globals the fresh server lacks the owner: the restore fails and says what to do.
        RestoreException refused = assertThrows(RestoreException.class, () -> new RestoreEngine().run(
                restores.request(fresh.spec(target)).key(backup.getKey()).createDatabase(true).build(),
                new RecordingLog()));
        assertTrue(refused.getMessage().contains("role \"" + owner + "\""), refused.getMessage());
        assertTrue(refused.getMessage().contains("noOwner"), refused.getMessage());
        assertTrue(refused.getMessage().contains("restoreGlobals"), refused.getMessage());
        assertFalse(roles(fresh).contains(owner));

        RecordingLog log = new RecordingLog();
        RestoreResult r = new RestoreEngine().run(restores.request(fresh.spec(target)).key(backup.getKey())
                .createDatabase(true).restoreGlobals(true).build(), log);

        assertEquals(backup.getGlobals().key(), r.getGlobalsKey());
        assertTrue(r.getRolesCreated().containsAll(List.of(owner, reader)), r.getRolesCreated().toString());
        assertTrue(r.getRolesKept().contains("postgres"), "the target's own superuser is kept: " + r.getRolesKept());
        assertFalse(r.getRolesCreated().contains("postgres"));
        assertTrue(log.all().contains("kept as they are: "), log.all());
        assertFalse(log.all().contains("owner-secret"));
        try (Connection c = fresh.connect(target); Statement s = c.createStatement()) {
            assertEquals(owner, single(s, "SELECT tableowner FROM pg_tables WHERE schemaname = 'app' "
                    + "AND tablename = 'orders'"));
            assertEquals(owner, single(s, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'app'"));
            assertEquals("t", single(s, "SELECT has_table_privilege('" + reader + "', 'app.orders', 'SELECT')"));
            assertEquals("f", single(s, "SELECT has_table_privilege('" + reader + "', 'app.orders', 'INSERT')"));
            assertEquals("t", single(s, "SELECT pg_has_role('" + owner + "', '" + reader + "', 'MEMBER')"));
            assertEquals("2", single(s, "SELECT count(*) FROM app.orders"));
        }
        // The restored role kept its password (the hash came with the globals), the target's postgres kept its own.
        ConnectionSpec asOwner = new ConnectionSpec("localhost", fresh.port(), target, owner, "owner-secret",
                SslMode.PREFER, 5);
        try (Connection ignored = Jdbc.connect(asOwner)) {
            // logs in
        }
        try (Connection ignored = fresh.connect("postgres")) {
            // still the test password
        }
    }

    @Test
    void theGlobalsAreAFirstClassObjectNextToTheDumpAndNeverABackupOfTheirOwn() throws Exception {
        BackupResult backup = backupWithGlobals(Clock.systemUTC());
        StoredGlobals g = backup.getGlobals();

        assertNotNull(g);
        assertEquals(BackupKeys.globalsKey(backup.getKey()), g.key());
        assertEquals(backup.getKey().replaceAll("\\.dump$", ".globals.sql"), g.key());
        assertTrue(g.rolePasswords(), "postgres is a superuser");
        assertEquals(g.key(), backup.toMap().get("globalsKey"));
        BackupCatalog catalog = new BackupCatalog(s3.client(), restores.storage());
        BackupObject stored = catalog.globals(backup.getKey()).orElseThrow();
        BackupMetadata m = stored.getMetadata();
        assertEquals(BackupMetadata.KIND_GLOBALS, m.getKind());
        assertEquals(database, m.getDatabase());
        assertEquals(g.sha256(), m.getSha256());
        assertEquals(g.size(), stored.getContentLength());
        assertEquals(g.pgDumpallVersion(), m.getPgDumpVersion());
        assertEquals(catalog.head(backup.getKey()).getMetadata().getTimestamp(), m.getTimestamp());
        // Stored under the same rules as the dump: start metadata on the object, its own manifest written last.
        BackupMetadata start = BackupMetadata.fromUserMetadata(s3.client()
                .headObject(h -> h.bucket(restores.bucket()).key(g.key())).metadata());
        assertEquals(BackupMetadata.KIND_GLOBALS, start.getKind());
        assertEquals(database, start.getDatabase());
        BackupManifest manifest = catalog.readManifest(g.key()).orElseThrow();
        assertEquals(g.sha256(), manifest.getSha256());
        assertEquals(g.size(), manifest.getSize());
        assertEquals(BackupMetadata.KIND_GLOBALS, manifest.getMetadata().getKind());
        String script = read(catalog, stored);
        assertTrue(script.contains("CREATE ROLE " + owner + ";"), script);
        assertTrue(script.contains("SCRAM-SHA-256$"), "a superuser's globals carry the password hashes");
        assertTrue(catalog.list(database).stream().noneMatch(b -> b.getKey().equals(g.key())));
        StorageExceptionCheck.refuses(() -> catalog.head(g.key()), "restoreGlobals");
    }

    @Test
    void aRoleThatMayNotReadPasswordsDumpsTheGlobalsWithoutThemAndSaysSo() throws Exception {
        String backupRole = "backup_only_" + suffix;
        try (Connection c = source.connect("postgres"); Statement s = c.createStatement()) {
            // Not pg_read_all_data: that reads pg_authid too.
            s.execute("CREATE ROLE " + backupRole + " LOGIN PASSWORD 'backup-secret'");
        }
        try (Connection c = source.connect(database); Statement s = c.createStatement()) {
            s.execute("GRANT USAGE ON SCHEMA app TO " + backupRole);
            s.execute("GRANT SELECT ON app.orders TO " + backupRole);
        }
        ConnectionSpec spec = new ConnectionSpec("localhost", source.port(), database, backupRole, "backup-secret",
                SslMode.PREFER, 5);
        RecordingLog log = new RecordingLog();
        BackupResult backup = new BackupEngine().run(
                BackupRequest.builder(spec, restores.storage()).format(DumpFormat.CUSTOM).includeGlobals(true)
                        .toolLocations(Restores.clients()).build(), log);

        assertFalse(backup.getGlobals().rolePasswords());
        assertTrue(log.all().contains("--no-role-passwords"), log.all());
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("may not read pg_authid")), log.all());
        BackupCatalog catalog = new BackupCatalog(s3.client(), restores.storage());
        String script = read(catalog, catalog.globals(backup.getKey()).orElseThrow());
        assertTrue(script.contains("CREATE ROLE " + owner + ";"), script);
        assertFalse(script.contains("PASSWORD '"), script);
    }

    @Test
    void retentionPrunesTheGlobalsTogetherWithTheirDumpAndCountsOnlyDumps() throws Exception {
        Restores own = new Restores(s3, "retention"); // no other test's backups of this database
        MutableClock clock = new MutableClock(Instant.parse("2026-01-10T10:00:00Z"));
        BackupResult older = new BackupEngine(clock).run(request(own).build(),
                new RecordingLog());
        clock.advance(Duration.ofHours(1));
        BackupResult newer = new BackupEngine(clock).run(
                request(own).retention(RetentionPolicy.builder().keepLast(1).build()).build(), new RecordingLog());

        assertEquals(List.of(older.getKey()), newer.prunedKeys(), "the globals are not a backup of their own");
        S3Client client = s3.client();
        BackupCatalog catalog = new BackupCatalog(client, own.storage());
        assertTrue(catalog.globals(older.getKey()).isEmpty(), "pruned with its dump");
        assertTrue(catalog.globals(newer.getKey()).isPresent());
        List<String> keys = new ArrayList<>();
        client.listObjectsV2Paginator(b -> b.bucket(own.bucket())).contents()
                .forEach(o -> keys.add(o.key()));
        assertFalse(keys.contains(older.getGlobals().key()), keys.toString());
        assertFalse(keys.contains(BackupKeys.manifestKey(older.getGlobals().key())), "its manifest went with it");
        assertTrue(keys.contains(newer.getGlobals().key()), keys.toString());
        assertTrue(keys.contains(BackupKeys.manifestKey(newer.getGlobals().key())), keys.toString());
        assertEquals(List.of(), newer.getPruned().getLeftovers(), "the globals are no leftovers either");
    }

    @Test
    void withAgeRecipientsTheGlobalsAreEncryptedLikeTheDumpAndRestoreOntoAFreshServerWithTheIdentity()
            throws Exception {
        Restores own = new Restores(s3, "encrypted-globals");
        KeyPair k = new X25519KeyPairGenerator().generateKeyPair();
        String recipient = new String(k.getPublic().getEncoded(), StandardCharsets.US_ASCII);
        String identity = new String(k.getPrivate().getEncoded(), StandardCharsets.US_ASCII);
        BackupResult backup = new BackupEngine().run(request(own).ageRecipients(List.of(recipient)).build(),
                new RecordingLog());

        StoredGlobals g = backup.getGlobals();
        assertEquals(backup.getKey().replaceAll("\\.dump\\.age$", ".globals.sql.age"), g.key());
        byte[] raw = s3.client().getObjectAsBytes(b -> b.bucket(own.bucket()).key(g.key())).asByteArray();
        String stored = new String(raw, StandardCharsets.ISO_8859_1);
        assertTrue(stored.startsWith("age-encryption.org/v1\n"), "an age file");
        assertFalse(stored.contains(owner), "no role name in the clear");
        assertFalse(stored.contains("SCRAM-SHA-256"), "no password hash in the clear");
        BackupCatalog catalog = new BackupCatalog(s3.client(), own.storage());
        BackupObject object = catalog.globals(backup.getKey()).orElseThrow();
        assertTrue(object.getMetadata().isEncrypted());
        assertEquals(catalog.head(backup.getKey()).getMetadata().getRecipients(),
                object.getMetadata().getRecipients());
        assertEquals(g.sha256(), object.getMetadata().getSha256(), "the sha256 of the stored, encrypted bytes");
        assertEquals(raw.length, object.getMetadata().getSize());

        try (Server another = PostgresServers.startFresh(MAJOR)) {
            String target = "restored_encrypted_" + suffix;
            RecordingLog log = new RecordingLog();
            RestoreResult r = new RestoreEngine().run(own.request(another.spec(target)).key(backup.getKey())
                    .createDatabase(true).restoreGlobals(true).ageIdentities(identity).build(), log);

            assertEquals(g.key(), r.getGlobalsKey());
            assertTrue(r.getRolesCreated().containsAll(List.of(owner, reader)), r.getRolesCreated().toString());
            assertFalse(log.all().contains(identity), "the identity is never logged");
            try (Connection c = another.connect(target); Statement s = c.createStatement()) {
                assertEquals(owner, single(s, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'"));
                assertEquals("t", single(s, "SELECT has_table_privilege('" + reader + "', 'app.orders', 'SELECT')"));
            }
        }
    }

    @Test
    void encryptedGlobalsAreNotReadWithoutOneOfTheirRecipientsIdentities() throws Exception {
        Restores own = new Restores(s3, "encrypted-globals-refused");
        KeyPair k = new X25519KeyPairGenerator().generateKeyPair();
        String recipient = new String(k.getPublic().getEncoded(), StandardCharsets.US_ASCII);
        KeyPair other = new X25519KeyPairGenerator().generateKeyPair();
        String foreign = new String(other.getPrivate().getEncoded(), StandardCharsets.US_ASCII);
        BackupResult backup = new BackupEngine().run(request(own).ageRecipients(List.of(recipient)).build(),
                new RecordingLog());
        BackupCatalog catalog = new BackupCatalog(s3.client(), own.storage());
        BackupObject globals = catalog.globals(backup.getKey()).orElseThrow();

        RestoreException none = assertThrows(RestoreException.class,
                () -> GlobalsRestore.read(catalog, globals, List.of()));
        assertTrue(none.getMessage().contains("are encrypted with age"), none.getMessage());
        assertTrue(none.getMessage().contains("ageIdentityCredentialsId"), none.getMessage());
        RestoreException wrong = assertThrows(RestoreException.class, () -> GlobalsRestore.read(catalog, globals,
                List.of(foreign)));
        assertTrue(wrong.getMessage().contains("for other keys"), wrong.getMessage());
        assertFalse(wrong.isTargetTouched());
    }

    @Test
    void restoreGlobalsOfABackupWithoutGlobalsIsRefusedBeforeTheTargetIsTouched() throws Exception {
        Restores own = new Restores(s3, "without"); // no backup with globals at the same key
        BackupResult plain = own.backup(source, database, DumpFormat.CUSTOM, 1);
        assertNull(plain.getGlobals());
        String target = "never_" + suffix;

        RestoreException e = assertThrows(RestoreException.class, () -> new RestoreEngine().run(own
                .request(fresh.spec(target)).key(plain.getKey()).createDatabase(true).restoreGlobals(true).build(),
                new RecordingLog()));

        assertTrue(e.getMessage().contains("no globals stored with it"), e.getMessage());
        assertFalse(e.isTargetTouched());
        try (Connection c = fresh.connect("postgres"); Statement s = c.createStatement()) {
            assertEquals("0", single(s, "SELECT count(*) FROM pg_database WHERE datname = '" + target + "'"));
        }
    }

    @Test
    void aTargetRoleThatIsNoSuperuserIsRefusedBeforeAnythingIsTouched() throws Exception {
        BackupResult backup = backupWithGlobals(Clock.systemUTC());
        String creator = "creator_" + suffix;
        try (Connection c = fresh.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + creator + " LOGIN CREATEROLE CREATEDB PASSWORD 'creator-pw'");
        }
        List<String> before = roles(fresh);
        ConnectionSpec asCreator = new ConnectionSpec("localhost", fresh.port(), "by_creator_" + suffix, creator,
                "creator-pw", SslMode.PREFER, 5);

        RestoreException e = assertThrows(RestoreException.class, () -> new RestoreEngine().run(restores
                .request(asCreator).key(backup.getKey()).createDatabase(true).restoreGlobals(true).build(),
                new RecordingLog()));

        assertTrue(e.getMessage().contains("needs a superuser"), e.getMessage());
        assertFalse(e.isTargetTouched());
        assertEquals(before, roles(fresh));
    }

    @Test
    void anyErrorStopsTheGlobalsAndInOneTransactionNothingOfThemStays() throws Exception {
        String first = "first_" + suffix;
        String script = "CREATE ROLE " + first + ";\nALTER ROLE " + first + " WITH NOLOGIN PASSWORD 'hash-of-" + suffix
                + "';\nSELECT 1/0;\nCREATE ROLE never_" + suffix + ";\n";
        GlobalsScript.Prepared prepared = GlobalsScript.parse(script).prepare(Set.of(), Set.of());
        assertTrue(prepared.transactional());
        GlobalsRestore.Plan plan = new GlobalsRestore.Plan(null, prepared,
                GlobalsRestore.psql(new ToolResolver(Restores.clients()), null),
                fresh.spec());
        RestoreException e;
        try (PgPassFile pgpass =
                PgPassFile.create(fresh.spec())) {
            List<String> secrets = new ArrayList<>(List.of(PostgresServers.PASSWORD));
            secrets.addAll(GlobalsScript.passwords(script));
            RestoreRun run = new RestoreRun(pgpass.environment(), secrets, Duration.ofMinutes(1));
            e = assertThrows(RestoreException.class, () -> GlobalsRestore.apply(run, plan, new RecordingLog()));
        }

        assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
        assertTrue(e.getMessage().contains("Nothing of the globals was applied"), e.getMessage());
        assertFalse(e.isTargetTouched());
        assertFalse(roles(fresh).contains(first), "rolled back with the rest");
        assertFalse(roles(fresh).contains("never_" + suffix), "never reached");
        assertFalse((e.getMessage() + e.getStderrTail()).contains("hash-of-" + suffix), "password hashes are masked");
    }

    @Test
    void thePsqlMustBeAtLeastAsNewAsThePgDumpallThatWroteTheGlobals() throws Exception {
        ToolResolver resolver =
                new ToolResolver(Restores.clients());
        assertEquals(18, GlobalsRestore.psql(resolver, PostgresVersion.parse("15.2"))
                .version().major(), "the newest that qualifies");
        RestoreException e = assertThrows(RestoreException.class, () -> GlobalsRestore.psql(resolver,
                PostgresVersion.parse("18.99")));
        assertTrue(e.getMessage().contains("pg_dumpall 18.99"), e.getMessage());
        assertTrue(e.getMessage().contains("Install the PostgreSQL 18 client"), e.getMessage());
    }

    private BackupRequest.Builder request() {
        return request(restores);
    }

    private BackupRequest.Builder request(Restores where) {
        return BackupRequest.builder(source.spec(database), where.storage()).format(DumpFormat.CUSTOM)
                .includeGlobals(true).toolLocations(Restores.clients());
    }

    /**
     * Tests share one database and prefix, and a key has a resolution of one second: each backup here is taken a
     * minute apart on its clock, or two tests in the same second would write the same key (refused, never overwritten).
     */
    private BackupResult backupWithGlobals(Clock clock) throws Exception {
        Clock apart = Clock.offset(clock, Duration.ofMinutes(backupsTaken.getAndIncrement()));
        return new BackupEngine(apart).run(request().build(), new RecordingLog());
    }

    private static String read(BackupCatalog catalog, BackupObject object) throws Exception {
        try (InputStream in = catalog.openStream(object)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> roles(Server server) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rolname FROM pg_roles")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    /** A catalog call that must refuse, with a message that says what to do. */
    private static final class StorageExceptionCheck {
        interface Call {
            Object run() throws Exception;
        }

        static void refuses(Call call, String advice) {
            Exception e = assertThrows(Exception.class, call::run);
            assertTrue(e.getMessage().contains(advice), e.getMessage());
        }
    }
}
