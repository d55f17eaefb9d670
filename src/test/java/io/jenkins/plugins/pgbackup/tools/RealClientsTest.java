package io.jenkins.plugins.pgbackup.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.PgPassFile;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Resolution and probing with the real clients 13, 15, 17 and 18 that .ci/install-pg-clients installs. */
@EnabledOnOs(OS.LINUX)
class RealClientsTest {
    private static final Pattern COMPRESSION = Pattern.compile("(?m)^;\\s+Compression: (\\S+)");

    @TempDir
    Path dir;

    /** Only the installer's clients: no well-known directories, no PATH. */
    private static ToolResolver installerOnly(int... majors) {
        List<String> roots = new ArrayList<>();
        for (int m : majors) {
            roots.add(PgClients.binDir(m).toString());
        }
        return new ToolResolver(ToolLocations.of(List.of(), roots, List.of()));
    }

    @Test
    void findsEachInstalledClientWithItsRealVersion() {
        ToolResolver r = new ToolResolver(
                ToolLocations.of(List.of(), List.of(PgClients.requireRoot().toString()), List.of()));
        Map<Integer, ClientTool> byMajor = new TreeMap<>();
        for (ClientTool t : r.installed(ToolKind.PG_DUMP)) {
            byMajor.put(t.version().major(), t);
        }
        assertEquals(PgClients.MAJORS, List.copyOf(byMajor.keySet()));
        byMajor.forEach((major, t) -> {
            assertEquals(PgClients.binDir(major).resolve("pg_dump"), t.executable());
            assertTrue(t.versionOutput().startsWith("pg_dump (PostgreSQL) " + major + "."), t.versionOutput());
        });
        for (ToolKind kind : List.of(ToolKind.PG_RESTORE, ToolKind.PSQL)) {
            assertEquals(PgClients.MAJORS, r.installed(kind).stream().map(t -> t.version().major()).sorted().toList());
        }
    }

    @Test
    void aServerNewerThanEveryClientFailsBeforeConnectingWithTheClearMessage() {
        PostgresVersion server18 = PostgresVersion.fromVersionNum(180006);
        ToolResolver upTo17 = installerOnly(13, 15, 17);
        NoSuitableClientException e = assertThrows(NoSuitableClientException.class,
                () -> upTo17.resolvePgDump(server18, EngineLog.none()));
        String m = e.getMessage();
        assertTrue(m.contains("PostgreSQL 18.6 server"), m);
        for (int major : List.of(13, 15, 17)) {
            assertTrue(m.contains("pg_dump " + major + ".") && m.contains(PgClients.binDir(major).toString()), m);
        }
        assertTrue(m.contains("postgresql-client-18"), m);
    }

    @Test
    void picksTheExactOrTheLowestNewerRealClient() throws Exception {
        ToolResolver r = installerOnly(13, 15, 17, 18);
        RecordingLog log = new RecordingLog();
        assertEquals(13, r.resolvePgDump(PostgresVersion.ofMajor(12), log).version().major());
        assertEquals(15, r.resolvePgDump(PostgresVersion.ofMajor(14), log).version().major());
        assertEquals(17, r.resolvePgDump(PostgresVersion.ofMajor(17), log).version().major());
        assertEquals(17, r.resolvePgDump(PostgresVersion.ofMajor(16), log).version().major());
        assertEquals(18, r.resolvePgDump(null, log).version().major());
    }

    @Test
    void findsDebiansOwnClientInItsWellKnownDirectory() throws Exception {
        List<Path> system = PgClients.systemClients();
        org.junit.jupiter.api.Assumptions.assumeFalse(system.isEmpty(), "no Debian client under /usr/lib/postgresql");
        Path bin = system.get(0);
        ClientTool t = new ToolResolver(ToolLocations.defaults(List.of()))
                .resolvePgDump(PostgresVersion.parse(bin.getParent().getFileName().toString()), EngineLog.none());
        assertEquals(bin.resolve("pg_dump"), t.executable(), "the well-known directory comes before PATH");
    }

    @Test
    void anOlderPgDumpsRefusalIsRecognisedAsAVersionMismatch() throws Exception {
        ConnectionSpec spec = PostgresServers.get(17).spec();
        List<String> command = new ArrayList<>(List.of(PgClients.tool(15, "pg_dump").toString(), "--schema-only"));
        command.addAll(LibpqArguments.connectionArguments(spec));
        ProcessResult r;
        try (PgPassFile pgpass = PgPassFile.create(spec, dir)) {
            r = ProcessRunner.of(command).environment(pgpass.environment())
                    .removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE).run();
        }
        assertTrue(!r.succeeded() && ToolResolver.reportsServerVersionMismatch(r.stderr()), r.describeFailure());
        assertTrue(!ToolResolver.reportsServerVersionMismatch("pg_dump: error: connection to server failed"));
    }

    /**
     * An agent's temporary directory can be deep inside its work directory, longer than a Unix socket path may be
     * (107 bytes): the probe must not care.
     */
    @Test
    void theProbeDoesNotDependOnTheTemporaryDirectory() throws Exception {
        Path deep = Files.createDirectories(dir.resolve("a".repeat(60)).resolve("b".repeat(60)));
        String before = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", deep.toString());
        try {
            ClientProbe.clearCache();
            ClientTool pgDump = installerOnly(17).resolvePgDump(PostgresVersion.ofMajor(17), EngineLog.none());
            assertEquals(List.of(ClientTool.Support.YES, ClientTool.Support.YES, ClientTool.Support.YES),
                    List.of(pgDump.gzip(), pgDump.lz4(), pgDump.zstd()), pgDump.compressionEvidence());
        } finally {
            System.setProperty("java.io.tmpdir", before);
            ClientProbe.clearCache();
        }
    }

    /**
     * The probe's verdict must match what pg_dump really does: a dump with each method against a real server, and
     * the compression that pg_restore --list reads from the archive.
     */
    @ParameterizedTest
    @ValueSource(ints = {13, 15, 17, 18})
    void compressionProbesMatchWhatTheClientReallyDoes(int major) throws Exception {
        ClientTool pgDump = installerOnly(major).resolvePgDump(PostgresVersion.ofMajor(major), EngineLog.none());
        ConnectionSpec spec = PostgresServers.get(13).spec();
        Map<String, Boolean> probed = Map.of("gzip", pgDump.supportsGzip(), "lz4", pgDump.supportsLz4(), "zstd",
                pgDump.supportsZstd());
        for (var method : probed.entrySet()) {
            String actual = dumpAndReadCompression(pgDump, major, method.getKey(), spec);
            if ("gzip".equals(method.getKey())) {
                assertTrue(actual != null && !actual.equals("0") && !actual.equals("none"),
                        "every Debian client compresses with gzip: " + actual);
            }
            // pg_restore names the method since 16; before, it prints the gzip level, and 0 means uncompressed.
            boolean works = major >= 16 ? method.getKey().equals(actual)
                    : "gzip".equals(method.getKey()) && actual != null && actual.matches("[1-9]");
            assertEquals(works, method.getValue(), "client " + major + " -Z " + method.getKey()
                    + ": the archive says compression " + actual);
        }
    }

    /** Dumps with {@code -Z method} (a gzip level before 16) and returns the archive's "Compression:" or null. */
    private String dumpAndReadCompression(ClientTool pgDump, int major, String method, ConnectionSpec spec)
            throws Exception {
        String z = major >= 16 ? method : "gzip".equals(method) ? "6" : method;
        Path archive = dir.resolve("probe-" + major + "-" + method + ".dump");
        List<String> dump = new ArrayList<>(List.of(pgDump.executable().toString(), "--format=custom",
                "--compress=" + z, "--file=" + archive, "--schema-only"));
        dump.addAll(LibpqArguments.connectionArguments(spec));
        try (PgPassFile pgpass = PgPassFile.create(spec, dir)) {
            ProcessResult r = ProcessRunner.of(dump).environment(pgpass.environment())
                    .removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE).timeout(Duration.ofMinutes(1))
                    .run();
            if (!r.succeeded() || !Files.exists(archive)) {
                return null;
            }
        }
        Path pgRestore = pgDump.binDir().resolve("pg_restore");
        ProcessResult list = ProcessRunner.of(List.of(pgRestore.toString(), "--list", archive.toString())).run();
        assertTrue(list.succeeded(), list.describeFailure());
        Matcher m = COMPRESSION.matcher(list.stdoutText());
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }
}
