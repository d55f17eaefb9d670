package io.jenkins.plugins.pgbackup.tools;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Finds out what an installed client is: its real version ({@code --version}) and, for pg_dump, which compression
 * methods its build supports. Results are cached for the life of the JVM, per file (path, size and modification
 * time), so an upgraded package is probed again.
 *
 * <p>The compression probe needs no server: pg_dump validates {@code -Z} before it connects, so an unsupported
 * method fails at once ("this build does not support compression with ZSTD"), while a supported one gets as far as
 * connecting to a socket directory that does not exist. pg_dump before 16 takes only a gzip level (13 reads "zstd"
 * as level 0 without complaint), so lz4 and zstd are not even tried there.
 */
final class ClientProbe {
    private static final Logger LOGGER = Logger.getLogger(ClientProbe.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Map<Key, Probed> CACHE = new ConcurrentHashMap<>();

    private ClientProbe() {}

    /** What a probe found: a version, or why the program is unusable. */
    record Probed(PostgresVersion version, String versionOutput, ClientTool.Compression compression, String problem) {
        boolean usable() {
            return version != null;
        }
    }

    private record Key(String path, long size, long modified) {}

    /**
     * A client found where this JVM cannot look (a container), by what its scan printed: the same real path, size,
     * modification time and version line there mean the same build, so a container and this machine never share an
     * entry unless they hold the very same program.
     */
    private record RemoteKey(String realPath, String stamp, String versionLine) {}

    private static final Map<RemoteKey, ClientTool.Compression> REMOTE_CACHE = new ConcurrentHashMap<>();

    static Probed probe(Path executable, ToolKind kind) {
        Key key;
        try {
            key = new Key(executable.toRealPath().toString(), Files.size(executable),
                    Files.getLastModifiedTime(executable).toMillis());
        } catch (IOException e) {
            return new Probed(null, "", ClientTool.Compression.NONE, "cannot read it: " + e.getMessage());
        }
        return CACHE.computeIfAbsent(key, k -> run(executable, kind));
    }

    /**
     * Probes a client that {@code starter} runs elsewhere, found by {@link RemoteClients}: its version from the line
     * the scan printed, and for pg_dump its compression support, probed there the same way as here.
     */
    static Probed probe(RemoteClients.Listed listed, ProcessStarter starter) {
        String output = listed.versionLine();
        PostgresVersion version = PostgresVersion.fromVersionText(output);
        if (version == null) {
            return new Probed(null, output, ClientTool.Compression.NONE,
                    "'--version' printed no PostgreSQL version: " + output);
        }
        if (listed.kind() != ToolKind.PG_DUMP) {
            return new Probed(version, output, ClientTool.Compression.NONE, "");
        }
        RemoteKey key = new RemoteKey(listed.realPath(), listed.stamp(), output);
        ClientTool.Compression cached = REMOTE_CACHE.get(key);
        if (cached != null) {
            return new Probed(version, output, cached, "");
        }
        try {
            ClientTool.Compression compression = compression(listed.path(), version, starter);
            if (!listed.stamp().isEmpty()) {
                REMOTE_CACHE.put(key, compression);
            }
            LOGGER.fine(() -> listed.path() + " in the " + starter + ": " + output + "; " + compression.describe());
            return new Probed(version, output, compression, "");
        } catch (IOException e) {
            return new Probed(null, output, ClientTool.Compression.NONE, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probed(null, output, ClientTool.Compression.NONE, "interrupted while probing");
        }
    }

    /** Forgets every probe: for tests. */
    static void clearCache() {
        CACHE.clear();
        REMOTE_CACHE.clear();
    }

    static int cacheSize() {
        return CACHE.size();
    }

    private static Probed run(Path executable, ToolKind kind) {
        try {
            ProcessResult r = runner(List.of(executable.toString(), "--version")).run();
            String output = r.stdoutText().strip();
            PostgresVersion version = r.succeeded() ? PostgresVersion.fromVersionText(output) : null;
            if (version == null) {
                String why = r.succeeded() ? "'--version' printed no PostgreSQL version: " + output
                        : r.describeFailure();
                return new Probed(null, output, ClientTool.Compression.NONE, why);
            }
            ClientTool.Compression compression =
                    kind == ToolKind.PG_DUMP ? compression(executable, version, ProcessStarter.local())
                            : ClientTool.Compression.NONE;
            LOGGER.fine(() -> executable + ": " + output + "; " + compression.describe());
            return new Probed(version, output.lines().findFirst().orElse(output), compression, "");
        } catch (IOException e) {
            return new Probed(null, "", ClientTool.Compression.NONE, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probed(null, "", ClientTool.Compression.NONE, "interrupted while probing");
        }
    }

    private static ClientTool.Compression compression(Path pgDump, PostgresVersion version, ProcessStarter starter)
            throws IOException, InterruptedException {
        boolean methods = version.major() >= 16;
        boolean gzip = accepts(pgDump, methods ? "gzip" : "6", starter);
        boolean lz4 = methods && accepts(pgDump, "lz4", starter);
        boolean zstd = methods && accepts(pgDump, "zstd", starter);
        return new ClientTool.Compression(gzip, lz4, zstd);
    }

    /** Whether pg_dump got past its {@code -Z} check to the connection attempt. */
    private static boolean accepts(Path pgDump, String compress, ProcessStarter starter)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(pgDump.toString(), "--format=custom", "--compress=" + compress,
                "--no-password", "--username=pgbackup_probe", "--dbname=" + LibpqArguments.dbnameConninfo("probe")));
        command.addAll(unreachableServer());
        String err = runner(command).starter(starter).environment("PGCONNECT_TIMEOUT", "2").run().stderr().toLowerCase(Locale.ROOT);
        if (err.contains("does not support compression") || err.contains("not available in this installation")
                || err.contains("invalid compression")) {
            return false;
        }
        if (err.contains("connection to server") || err.contains("could not connect")) {
            return true;
        }
        LOGGER.fine(() -> pgDump + " -Z " + compress + " gave an unexpected answer; assuming unsupported: " + err);
        return false;
    }

    /** A socket directory that cannot exist, so that the attempt fails at once without the network. */
    private static List<String> unreachableServer() {
        if (File.separatorChar == '\\') {
            return List.of("--host=127.0.0.1", "--port=1");
        }
        return List.of("--host=" + System.getProperty("java.io.tmpdir") + "/pgbackup-no-server-" + UUID.randomUUID());
    }

    private static ProcessRunner runner(List<String> command) {
        return ProcessRunner.of(command).removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE)
                .timeout(TIMEOUT).killGrace(Duration.ofSeconds(1)).stderrLimit(8192).stdoutCaptureLimit(8192);
    }
}
