package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.PgPassFile;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.PostgresServers.Server;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Backups taken by the backup engine from real servers, restored by the restore engine into real servers of the same,
 * a newer and an older major, compared object by object and row by row with the source.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreRoundTripTest {
    private S3ProxyServer s3;
    private Restores restores;
    /** One source database with the rich schema per server major, made when first needed. */
    private final Map<Integer, String> sources = new HashMap<>();
    private final Map<String, BackupResult> backups = new HashMap<>();

    @BeforeAll
    void startStorage() throws Exception {
        s3 = S3ProxyServer.inMemory();
        restores = new Restores(s3, "round-trips");
    }

    @AfterAll
    void stopStorage() throws Exception {
        s3.close();
    }

    @Test
    void aCustomArchiveOfTheSameMajorStreamsIntoAnEmptyDatabase() throws Exception {
        Server server = PostgresServers.get(17);
        BackupResult backup = backupOf(17, DumpFormat.CUSTOM);
        String target = emptyDatabase(server, "same_major");

        RecordingLog log = new RecordingLog();
        RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target)).key(backup.getKey()).build(),
                log);

        assertEquals("pg_restore", r.getTool());
        assertEquals(17, PostgresVersion.parse(r.getToolVersion()).major(), r.getToolReason());
        assertEquals("custom", r.getArchiveFormat());
        assertEquals("1.16", r.getArchiveVersion());
        assertEquals("zstd", r.getCompression(), "the backup engine's default for pg_dump 17");
        assertEquals("streamed after a verification pass", r.getTransfer());
        assertFalse(r.isTransactionTimeoutFiltered());
        assertFalse(r.isDatabaseCreated());
        assertEquals(backup.getSize(), r.getBytes());
        assertEquals(sources.get(17), r.getSourceDatabase());
        assertTrue(log.all().contains("Verified "), log.all());
        assertSameContent(server, sources.get(17), server, target);
        assertEquals(schemaOnly(server, sources.get(17), 17), schemaOnly(server, target, 17));
    }

    @Test
    void aDirectoryDumpOfAnOlderServerRestoresIntoANewerOneWithTwoJobs() throws Exception {
        BackupResult backup = backupOf(12, DumpFormat.DIRECTORY, 2);
        Server target = PostgresServers.get(17);
        String database = emptyDatabase(target, "older_to_newer");

        Path workDirectory = Files.createTempDirectory("restore-work").resolve("workspace@tmp");
        RestoreResult r = new RestoreEngine().run(restores.request(target.spec(database)).key(backup.getKey())
                .jobs(2).workDirectory(workDirectory).build(), new RecordingLog());

        assertEquals("directory", r.getArchiveFormat());
        assertEquals("1.14", r.getArchiveVersion(), "written by pg_dump 13, the nearest client to server 12");
        assertEquals(13, PostgresVersion.parse(r.getPgDumpVersion()).major());
        assertEquals(17, PostgresVersion.parse(r.getToolVersion()).major(), "the target's own major is preferred");
        assertEquals(2, r.getJobs());
        assertEquals("downloaded, verified and unpacked", r.getTransfer());
        try (Stream<Path> left = Files.list(workDirectory)) {
            assertEquals(List.of(), left.toList(), "the unpacked dump was deleted");
        }
        assertSameContent(PostgresServers.get(12), sources.get(12), target, database);
    }

    @Test
    void aPlainScriptOfAnOlderServerRestoresIntoANewerOneInOneTransaction() throws Exception {
        BackupResult backup = backupOf(15, DumpFormat.PLAIN);
        Server target = PostgresServers.get(18);
        String database = emptyDatabase(target, "plain_older_to_newer");

        RecordingLog log = new RecordingLog();
        RestoreResult r = new RestoreEngine().run(restores.request(target.spec(database)).key(backup.getKey())
                .singleTransaction(true).build(), log);

        assertTrue(backup.getKey().endsWith(".sql.gz"), "pg_dump 15 compresses plain scripts with gzip");
        assertEquals("psql", r.getTool());
        assertEquals("plain", r.getArchiveFormat());
        assertNull(r.getArchiveVersion());
        assertEquals(18, PostgresVersion.parse(r.getToolVersion()).major());
        assertTrue(log.all().contains("1 large-object transaction(s) joined to the single transaction"), log.all());
        assertSameContent(PostgresServers.get(15), sources.get(15), target, database);
    }

    @Test
    void aNewerArchiveRestoresIntoAnOlderServerThroughTheFilter() throws Exception {
        BackupResult backup = backupOf(18, DumpFormat.CUSTOM);
        Server target = PostgresServers.get(15);
        String database = emptyDatabase(target, "newer_to_older");

        RestoreResult r = new RestoreEngine().run(restores.request(target.spec(database)).key(backup.getKey())
                .singleTransaction(true).build(), new RecordingLog());

        assertEquals("pg_restore | psql", r.getTool());
        assertEquals(18, PostgresVersion.parse(r.getToolVersion()).major(),
                "pg_restore 15 cannot read archive 1.16: " + r.getToolReason());
        assertTrue(r.isTransactionTimeoutFiltered());
        assertEquals(1, r.getFilteredStatements());
        assertEquals("15", r.getTargetVersion().split("\\.")[0]);
        assertSameContent(PostgresServers.get(18), sources.get(18), target, database);
    }

    @Test
    void aNewerZstdPlainScriptRestoresIntoAnOlderServerDecompressedAndFiltered() throws Exception {
        BackupResult backup = backupOf(18, DumpFormat.PLAIN);
        Server target = PostgresServers.get(15);
        String database = emptyDatabase(target, "plain_newer_to_older");

        RecordingLog log = new RecordingLog();
        RestoreResult r = new RestoreEngine().run(restores.request(target.spec(database)).key(backup.getKey())
                .build(), log);

        assertTrue(backup.getKey().endsWith(".sql.zst"), "pg_dump 18 compresses plain scripts with zstd");
        assertEquals("psql", r.getTool());
        assertEquals("zstd", r.getCompression());
        assertTrue(r.isTransactionTimeoutFiltered());
        assertEquals(1, r.getFilteredStatements());
        assertTrue(log.all().contains("Running zstd -dc | psql 18"), log.all());
        assertSameContent(PostgresServers.get(18), sources.get(18), target, database);
    }

    @Test
    void anLz4PlainScriptIsDecompressedByTheLz4Program() throws Exception {
        Server server = PostgresServers.get(17);
        BackupResult backup = restores.backup(BackupRequest.builder(server.spec(source(server)), restores.storage())
                .format(DumpFormat.PLAIN).compression(Compression.parse("lz4")), Clock.systemUTC());
        String target = emptyDatabase(server, "plain_lz4");

        RecordingLog log = new RecordingLog();
        RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target)).key(backup.getKey()).build(),
                log);

        assertTrue(backup.getKey().endsWith(".sql.lz4"), backup.getKey());
        assertEquals("lz4", r.getCompression());
        assertTrue(log.all().contains("Running lz4 -dc | psql 17"), log.all());
        assertSameContent(server, sources.get(17), server, target);
    }

    @Test
    void withoutTheFilterAnOlderServerRejectsTheNewerClientsStatementAndTheCreatedDatabaseIsDropped()
            throws Exception {
        BackupResult backup = backupOf(18, DumpFormat.CUSTOM);
        Server target = PostgresServers.get(15);
        String database = Restores.name("wrongly_pinned");

        // Pinned to 18, the engine believes no filter is needed and runs pg_restore 18 straight into server 15.
        RestoreException e = assertThrows(RestoreException.class, () -> new RestoreEngine().run(
                restores.request(target.spec(database)).key(backup.getKey()).createDatabase(true)
                        .pinnedVersion(PostgresVersion.ofMajor(18)).build(), new RecordingLog()));

        assertTrue(e.getMessage().contains(RestoreRun.TRANSACTION_TIMEOUT_REJECTED), e.getMessage());
        assertTrue(e.getMessage().contains("older than PostgreSQL 17"), e.getMessage());
        assertTrue(e.getMessage().contains("pin the right one"), e.getMessage());
        assertTrue(e.getMessage().contains("was dropped again"), e.getMessage());
        assertTrue(e.isTargetTouched());
        assertTrue(e.getStderrTail().contains("transaction_timeout"), e.getStderrTail());
        assertFalse(DatabaseFingerprint.exists(target, database), "the database the restore created is gone");
    }

    private BackupResult backupOf(int major, DumpFormat format) throws Exception {
        return backupOf(major, format, 1);
    }

    /** One backup per server, format and jobs, of that server's rich source database. */
    private synchronized BackupResult backupOf(int major, DumpFormat format, int jobs) throws Exception {
        String id = major + "-" + format + "-" + jobs;
        BackupResult b = backups.get(id);
        if (b == null) {
            Server server = PostgresServers.get(major);
            b = restores.backup(server, source(server), format, jobs);
            backups.put(id, b);
        }
        return b;
    }

    private synchronized String source(Server server) throws Exception {
        String name = sources.get(server.major());
        if (name == null) {
            name = Restores.name("rich_source_" + server.major());
            DatabaseFingerprint.loadRichSchema(server, name);
            sources.put(server.major(), name);
        }
        return name;
    }

    private static String emptyDatabase(Server server, String stem) throws Exception {
        String name = Restores.name(stem);
        server.createDatabase(name);
        return name;
    }

    static void assertSameContent(Server sourceServer, String source, Server targetServer, String target)
            throws Exception {
        Map<String, String> expected = DatabaseFingerprint.of(sourceServer, source);
        Map<String, String> actual = DatabaseFingerprint.of(targetServer, target);
        assertTrue(DatabaseFingerprint.totalRows(expected) > 3000, "the source has data: " + expected.keySet());
        assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("large object ")), "and a large object");
        String differences = differences(expected, actual);
        assertTrue(differences.isEmpty(), differences);
        assertEquals(expected.size(), actual.size());
    }

    private static String differences(Map<String, String> expected, Map<String, String> actual) {
        List<String> d = new ArrayList<>();
        expected.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) {
                d.add(k + ": expected " + v + " but was " + actual.get(k));
            }
        });
        actual.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> d.add(k + ": unexpected"));
        return d.stream().collect(Collectors.joining("\n"));
    }

    /** {@code pg_dump --schema-only} of a database, without its comments and its random {@code \restrict} key. */
    static String schemaOnly(Server server, String database, int clientMajor) throws Exception {
        ConnectionSpec spec = server.spec(database);
        List<String> cmd = new ArrayList<>(List.of(PgClients.tool(clientMajor, "pg_dump").toString(),
                "--schema-only"));
        cmd.addAll(LibpqArguments.connectionArguments(spec));
        try (PgPassFile pgpass = PgPassFile.create(spec)) {
            ProcessResult r = ProcessRunner.of(cmd).environment(pgpass.environment())
                    .removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE)
                    .stdoutCaptureLimit(64 * 1024 * 1024).run();
            assertTrue(r.succeeded(), r.describeFailure());
            String text = r.stdoutText().lines()
                    .filter(l -> !l.startsWith("--") && !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict"))
                    .collect(Collectors.joining("\n"));
            assertTrue(text.contains("CREATE TABLE sales.customer"), "a real schema dump");
            return text;
        }
    }
}
