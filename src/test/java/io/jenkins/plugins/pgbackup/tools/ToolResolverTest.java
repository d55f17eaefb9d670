package io.jenkins.plugins.pgbackup.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Resolution across fake installation layouts in a temporary directory. */
@DisabledOnOs(OS.WINDOWS)
class ToolResolverTest {
    @TempDir
    Path fs;

    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void freshProbes() {
        ClientProbe.clearCache();
    }

    /** The real well-known layouts, rooted in the temporary directory. */
    private ToolLocations locations(List<String> configuredRoots, List<String> pathEntries) {
        return ToolLocations.of(ToolLocations.WELL_KNOWN.stream().filter(t -> t.startsWith("/"))
                .map(t -> fs + t).toList(), configuredRoots, pathEntries);
    }

    private ToolResolver resolver() {
        return new ToolResolver(locations(List.of(), List.of()));
    }

    private Path debian(String major) {
        return fs.resolve("usr/lib/postgresql/" + major + "/bin");
    }

    private static PostgresVersion server(String version) {
        return PostgresVersion.parse(version);
    }

    @Test
    void picksTheServersMajorWhenInstalled() throws Exception {
        FakeClients.install(debian("13"), "pg_dump", "13.16");
        FakeClients.install(debian("16"), "pg_dump", "16.4");
        FakeClients.install(debian("17"), "pg_dump", "17.2");
        ClientTool t = resolver().resolvePgDump(server("16.2"), log);
        assertEquals(debian("16").resolve("pg_dump"), t.executable());
        assertEquals(PostgresVersion.parse("16.4"), t.version());
        assertTrue(log.all().contains("Using pg_dump 16.4 at " + debian("16").resolve("pg_dump")), log.all());
    }

    @Test
    void picksTheLowestNewerMajorWhenTheServersIsMissing() throws Exception {
        FakeClients.install(debian("13"), "pg_dump", "13.16");
        FakeClients.install(debian("18"), "pg_dump", "18.1");
        FakeClients.install(fs.resolve("usr/pgsql-17/bin"), "pg_dump", "17.6");
        ClientTool t = resolver().resolvePgDump(server("15.8"), log);
        assertEquals(17, t.version().major());
        assertEquals(fs.resolve("usr/pgsql-17/bin/pg_dump"), t.executable());
    }

    @Test
    void neverPicksAnOlderClientAndSaysWhatToInstall() throws Exception {
        FakeClients.install(debian("13"), "pg_dump", "13.16");
        FakeClients.install(fs.resolve("opt/homebrew/opt/postgresql@17/bin"), "pg_dump", "17.6");
        NoSuitableClientException e = assertThrows(NoSuitableClientException.class,
                () -> resolver().resolvePgDump(server("18.1"), log));
        String m = e.getMessage();
        assertTrue(m.contains("PostgreSQL 18.1 server"), m);
        assertTrue(m.contains("pg_dump 18 or newer"), m);
        assertTrue(m.contains("pg_dump 13.16 in " + debian("13")), m);
        assertTrue(m.contains("pg_dump 17.6 in " + fs.resolve("opt/homebrew/opt/postgresql@17/bin")), m);
        assertTrue(m.contains("postgresql-client-18"), m);
        assertTrue(m.contains("postgresql18 from the PGDG repository"), m);
        assertTrue(m.contains("postgresql@18 with Homebrew"), m);
    }

    @Test
    void anUnknownServerGetsTheNewestClientWithAWarning() throws Exception {
        FakeClients.install(debian("13"), "pg_dump", "13.16");
        FakeClients.install(fs.resolve("usr/libexec/postgresql18"), "pg_dump", "18.1");
        FakeClients.install(debian("17"), "pg_dump", "17.6");
        ClientTool t = resolver().resolvePgDump(null, log);
        assertEquals(18, t.version().major());
        assertEquals(1, log.warnings().size(), log.all());
        assertTrue(log.warnings().get(0).contains("version is unknown"), log.all());
        assertTrue(log.warnings().get(0).contains(fs.resolve("usr/libexec/postgresql18/pg_dump").toString()));
    }

    @Test
    void nothingInstalledAtAllIsExplained() {
        NoSuitableClientException e = assertThrows(NoSuitableClientException.class,
                () -> resolver().resolvePgDump(null, log));
        assertTrue(e.getMessage().contains("No pg_dump is installed in any known location"), e.getMessage());
        assertTrue(e.getMessage().contains("Searched: " + fs + "/usr/lib/postgresql/<N>/bin"), e.getMessage());
    }

    @Test
    void theRealMajorCountsNotThePath() throws Exception {
        // Someone copied a 16 into the directory for 17.
        FakeClients.install(debian("17"), "pg_dump", "16.4");
        ClientTool for16 = resolver().resolvePgDump(server("16.1"), log);
        assertEquals(debian("17").resolve("pg_dump"), for16.executable());
        assertEquals(16, for16.version().major());
        NoSuitableClientException e = assertThrows(NoSuitableClientException.class,
                () -> resolver().resolvePgDump(server("17.0"), EngineLog.none()));
        assertTrue(e.getMessage().contains("pg_dump 16.4 in " + debian("17")), e.getMessage());
    }

    @Test
    void pathIsSearchedLast() throws Exception {
        Path onPath = fs.resolve("usr/bin");
        FakeClients.install(onPath, "pg_dump", "17.0");
        ToolResolver onlyPath = new ToolResolver(locations(List.of(), List.of(onPath.toString())));
        assertEquals(onPath.resolve("pg_dump"), onlyPath.resolvePgDump(server("17.0"), log).executable());

        FakeClients.install(debian("17"), "pg_dump", "17.5");
        ToolResolver both = new ToolResolver(locations(List.of(), List.of(onPath.toString())));
        assertEquals(debian("17").resolve("pg_dump"), both.resolvePgDump(server("17.0"), log).executable());
        assertEquals(List.of(debian("17").resolve("pg_dump"), onPath.resolve("pg_dump")),
                both.installed(ToolKind.PG_DUMP).stream().map(ClientTool::executable).toList());
    }

    @Test
    void configuredRootsAreBinDirectoriesOrRootsOfMajorsAndComeBeforePath() throws Exception {
        Path installerRoot = fs.resolve("cache/pg-clients");
        FakeClients.install(installerRoot.resolve("15/bin"), "pg_dump", "15.18");
        FakeClients.install(installerRoot.resolve("18/bin"), "pg_dump", "18.6");
        Path binDir = fs.resolve("opt/custom/bin-17");
        FakeClients.install(binDir, "pg_dump", "17.12");
        Path onPath = fs.resolve("usr/bin");
        FakeClients.install(onPath, "pg_dump", "17.2");
        ToolResolver r = new ToolResolver(
                locations(List.of(installerRoot.toString(), binDir.toString()), List.of(onPath.toString())));
        assertEquals(installerRoot.resolve("15/bin/pg_dump"), r.resolvePgDump(server("15.3"), log).executable());
        assertEquals(binDir.resolve("pg_dump"), r.resolvePgDump(server("17.0"), log).executable());
        assertEquals(installerRoot.resolve("18/bin/pg_dump"), r.resolvePgDump(server("18.0"), log).executable());
    }

    @Test
    void findsEveryInstalledMajorAcrossLayoutsWithoutTryingNumbers() throws Exception {
        FakeClients.install(debian("9.6"), "pg_dump", "9.6.24");
        FakeClients.install(fs.resolve("usr/pgsql-14/bin"), "pg_dump", "14.13");
        FakeClients.install(fs.resolve("usr/libexec/postgresql16"), "pg_dump", "16.4");
        FakeClients.install(fs.resolve("usr/local/opt/postgresql@15/bin"), "pg_dump", "15.8");
        FakeClients.install(fs.resolve("Applications/Postgres.app/Contents/Versions/42/bin"), "pg_dump", "42.0");
        List<String> found = resolver().installed(ToolKind.PG_DUMP).stream().map(t -> t.version().toString())
                .toList();
        assertEquals(List.of("9.6.24", "14.13", "16.4", "15.8", "42.0"), found, "in search order");
        assertEquals("9.6", resolver().resolvePgDump(server("9.6.1"), log).version().majorLabel());
    }

    @Test
    void brokenInstallationsAreSkippedAndReported() throws Exception {
        FakeClients.write(debian("16").resolve("pg_dump"), "#!/bin/sh\necho 'error while loading shared libraries: libpq.so.5' >&2\nexit 127\n");
        FakeClients.write(debian("17").resolve("pg_dump"), "#!/bin/sh\necho 'not postgres at all'\n");
        FakeClients.install(debian("18"), "pg_dump", "18.0");
        ToolResolver r = resolver();
        assertEquals(List.of(18), r.installed(ToolKind.PG_DUMP).stream().map(t -> t.version().major()).toList());
        assertEquals(18, r.resolvePgDump(server("16.0"), log).version().major());
        NoSuitableClientException e = assertThrows(NoSuitableClientException.class,
                () -> new ToolResolver(locations(List.of(), List.of())).resolve(ToolKind.PG_DUMP,
                        ClientPolicy.forServer(server("19.0")), log));
        assertTrue(e.getMessage().contains("libpq.so.5"), e.getMessage());
        assertTrue(e.getMessage().contains("printed no PostgreSQL version"), e.getMessage());
    }

    @Test
    void probesAreCachedPerFileAndRepeatedWhenTheFileChanges() throws Exception {
        Path exe = FakeClients.install(debian("16"), "pg_dump", "16.4");
        FileTime modified = Files.getLastModifiedTime(exe);
        assertEquals("16.4", resolver().resolvePgDump(server("16.0"), log).version().toString());
        int probes = ClientProbe.cacheSize();

        // Same size and time: the cached probe answers (a real binary does not change without either changing).
        FakeClients.install(debian("16"), "pg_dump", "16.5");
        Files.setLastModifiedTime(exe, modified);
        assertEquals("16.4", resolver().resolvePgDump(server("16.0"), log).version().toString());
        assertEquals(probes, ClientProbe.cacheSize());

        Files.setLastModifiedTime(exe, FileTime.fromMillis(modified.toMillis() + 60_000));
        assertEquals("16.5", resolver().resolvePgDump(server("16.0"), log).version().toString());
    }

    @Test
    void compressionSupportIsProbedNotAssumed() throws Exception {
        FakeClients.install(debian("16"), "pg_dump", "16.4", "zstd");
        FakeClients.install(debian("17"), "pg_dump", "17.2", "lz4", "zstd");
        FakeClients.install(debian("18"), "pg_dump", "18.1");
        ClientTool v16 = resolver().resolvePgDump(server("16.0"), log);
        assertTrue(v16.supportsGzip());
        assertTrue(v16.supportsLz4());
        assertFalse(v16.supportsZstd());
        ClientTool v17 = resolver().resolvePgDump(server("17.0"), log);
        assertFalse(v17.supportsLz4());
        assertFalse(v17.supportsZstd());
        ClientTool v18 = resolver().resolvePgDump(server("18.0"), log);
        assertTrue(v18.supportsLz4() && v18.supportsZstd() && v18.supportsGzip());
        assertTrue(log.all().contains("compression support: gzip yes, lz4 yes, zstd no"), log.all());
    }

    @Test
    void anAnswerTheProbeDoesNotRecogniseIsUnknownAndLoggedInTheToolsWords() throws Exception {
        FakeClients.write(debian("17").resolve("pg_dump"), String.join("\n", "#!/bin/sh",
                "if [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 17.2'; exit 0; fi",
                "echo 'pg_dump: Fehler: Verbindung zum Server auf »127.0.0.1« fehlgeschlagen' >&2", "exit 1", ""));
        ClientTool t = resolver().resolvePgDump(server("17.0"), log);
        assertEquals(ClientTool.Support.UNKNOWN, t.gzip());
        assertEquals(ClientTool.Support.UNKNOWN, t.zstd());
        assertTrue(t.supportsGzip(), "unknown is not a no: it is tried");
        assertTrue(log.all().contains("compression support: gzip unknown, lz4 unknown, zstd unknown (gzip: pg_dump: "
                + "Fehler: Verbindung zum Server auf »127.0.0.1« fehlgeschlagen;"), log.all());
    }

    @Test
    void theProbesVerdictRestsOnTheConnectionNotOnItsWords() {
        assertEquals(ClientTool.Support.YES, ClientProbe.verdict(true, "pg_dump: Fehler: Server schloss die "
                + "Verbindung unerwartet", false).support());
        assertEquals(ClientTool.Support.NO, ClientProbe.verdict(false, "pg_dump: error: this build does not "
                + "support compression with LZ4\n", false).support());
        ClientProbe.Answer unknown = ClientProbe.verdict(false, "pg_dump: Fehler: Unix-Domain-Socket-Pfad zu lang", false);
        assertEquals(ClientTool.Support.UNKNOWN, unknown.support());
        assertEquals("zstd: pg_dump: Fehler: Unix-Domain-Socket-Pfad zu lang", unknown.evidence("zstd"));
        // pg_dump before 16 without zlib warns and connects all the same.
        assertEquals(ClientTool.Support.NO, ClientProbe.verdict(true, "pg_dump: warning: requested compression not "
                + "available in this installation -- archive will be uncompressed\npg_dump: error: connection to "
                + "server failed", true).support());
    }

    @Test
    void beforeSixteenOnlyGzipIsEverAvailable() throws Exception {
        // This fake would accept any -Z, as pg_dump 13 does (it reads "zstd" as level 0).
        FakeClients.install(debian("15"), "pg_dump", "15.8");
        ClientTool t = resolver().resolvePgDump(server("15.0"), log);
        assertTrue(t.supportsGzip());
        assertFalse(t.supportsLz4());
        assertFalse(t.supportsZstd());
    }

    @Test
    void restoreToolsFollowAtLeastAndPreferPolicies() throws Exception {
        FakeClients.install(debian("13"), "pg_restore", "13.16");
        FakeClients.install(debian("15"), "pg_restore", "15.8");
        FakeClients.install(debian("18"), "pg_restore", "18.1");
        ToolResolver r = resolver();
        PostgresVersion v13 = PostgresVersion.ofMajor(13);
        assertEquals(15, r.resolve(ToolKind.PG_RESTORE, ClientPolicy.atLeast(v13, PostgresVersion.ofMajor(15)), log)
                .version().major(), "the preferred major");
        assertEquals(18, r.resolve(ToolKind.PG_RESTORE, ClientPolicy.atLeast(v13, PostgresVersion.ofMajor(17)), log)
                .version().major(), "else the lowest newer");
        FakeClients.write(debian("18").resolve("pg_restore"), "#!/bin/sh\nexit 1\n");
        ClientProbe.clearCache();
        assertEquals(15, r.resolve(ToolKind.PG_RESTORE, ClientPolicy.atLeast(v13, PostgresVersion.ofMajor(17)), log)
                .version().major(), "else the newest acceptable below it");
        NoSuitableClientException e = assertThrows(NoSuitableClientException.class, () -> r.resolve(
                ToolKind.PG_RESTORE, ClientPolicy.atLeast(PostgresVersion.ofMajor(16), PostgresVersion.ofMajor(17)),
                log));
        assertTrue(e.getMessage().contains("No suitable pg_restore found: it needs major 16 or newer, preferably 17"),
                e.getMessage());
        assertTrue(e.getMessage().contains("postgresql-client-17"), e.getMessage());
    }

    @Test
    void pgRestoreSharesTheCompressionSupportOfItsPgDump() throws Exception {
        FakeClients.install(debian("17"), "pg_dump", "17.2", "zstd");
        FakeClients.install(debian("17"), "pg_restore", "17.2");
        ClientTool restore = resolver().resolve(ToolKind.PG_RESTORE, ClientPolicy.forServer(server("17.0")), log);
        assertTrue(restore.supportsLz4());
        assertFalse(restore.supportsZstd());
    }
}
