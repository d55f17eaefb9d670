package io.jenkins.plugins.pgbackup.tools;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.process.StderrLines;
import io.jenkins.plugins.pgbackup.tools.ClientTool.Support;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds out what an installed client is: its real version ({@code --version}) and, for pg_dump, which compression
 * methods its build supports. Results are cached for the life of the JVM, per file (path, size and modification
 * time), so an upgraded package is probed again.
 *
 * <p>The compression probe needs no server: pg_dump validates {@code -Z} before it connects, so an unsupported
 * method fails at once ("this build does not support compression with ZSTD"), while a supported one gets as far as
 * connecting, to a loopback listener of the probe's own that notes the attempt and hangs up. That signal needs no
 * text and no path (a socket directory under a long temporary directory is longer than libpq allows). pg_dump before
 * 16 takes only a gzip level (13 reads "zstd" as level 0 without complaint), so lz4 and zstd are not even tried there.
 * An answer the probe does not recognise is {@link Support#UNKNOWN}, never a no.
 */
final class ClientProbe {
    private static final Logger LOGGER = Logger.getLogger(ClientProbe.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Map<Key, Probed> CACHE = new ConcurrentHashMap<>();
    /** pg_dump 16 and newer refusing a method: "this build does not support compression with ZSTD". */
    private static final String UNSUPPORTED = "does not support compression";
    /** pg_dump before 16 without zlib: "requested compression not available in this installation -- ...". */
    private static final String NO_ZLIB_WARNING = "not available in this installation";

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
            throws InterruptedException {
        if (version.major() < 16) {
            Answer gzip = ask(pgDump, "6", true, starter);
            return new ClientTool.Compression(gzip.support(), Support.NO, Support.NO, gzip.evidence("gzip"));
        }
        Answer gzip = ask(pgDump, "gzip", false, starter);
        Answer lz4 = ask(pgDump, "lz4", false, starter);
        Answer zstd = ask(pgDump, "zstd", false, starter);
        String evidence = Stream.of(gzip.evidence("gzip"), lz4.evidence("lz4"), zstd.evidence("zstd"))
                .filter(e -> !e.isEmpty()).collect(Collectors.joining("; "));
        return new ClientTool.Compression(gzip.support(), lz4.support(), zstd.support(), evidence);
    }

    /** What pg_dump answered to one {@code --compress}, and its words when they were not a plain yes. */
    record Answer(Support support, String said) {
        String evidence(String method) {
            return support == Support.YES ? "" : method + ": " + said;
        }
    }

    /**
     * Runs pg_dump against a local listener that only notes whether pg_dump got as far as connecting. A probe that
     * cannot run (no loopback listener, pg_dump not starting) has learnt nothing: unknown, not no. In a container
     * with a network of its own the listener is out of reach, and pg_dump's (English) words tell instead.
     */
    private static Answer ask(Path pgDump, String compress, boolean gzipLevel, ProcessStarter starter)
            throws InterruptedException {
        try (ConnectionWitness witness = ConnectionWitness.open()) {
            List<String> command = List.of(pgDump.toString(), "--format=custom", "--compress=" + compress,
                    "--no-password", "--username=pgbackup_probe", "--host=" + witness.host(),
                    "--port=" + witness.port(), "--dbname=" + LibpqArguments.dbnameConninfo("probe")
                            + " connect_timeout=5");
            String err = runner(command).starter(starter).run().stderr();
            Answer answer = verdict(witness.connected(), err, gzipLevel);
            if (answer.support() == Support.UNKNOWN) {
                LOGGER.warning(() -> pgDump + " --compress=" + compress + " gave an answer the probe does not "
                        + "recognise, so support is unknown (the method is tried when asked for): " + err.strip());
            }
            return answer;
        } catch (IOException e) {
            LOGGER.warning(() -> "could not probe " + pgDump + " --compress=" + compress + ": " + e.getMessage());
            return new Answer(Support.UNKNOWN, "the probe could not run: " + e.getMessage());
        }
    }

    /**
     * The verdict on one answer. pg_dump checks {@code --compress} before it connects, so reaching the listener means
     * the method passed; before 16, a build without zlib warns and goes on, uncompressed. The texts are English
     * because the tools run with {@code LC_MESSAGES=C} ({@link io.jenkins.plugins.pgbackup.process.ToolEnvironment});
     * an answer that matches none of them is unknown, never a no.
     *
     * @param connected whether pg_dump connected to the probe's listener
     * @param gzipLevel whether this is a pre-16 pg_dump asked for a gzip level
     */
    static Answer verdict(boolean connected, String stderr, boolean gzipLevel) {
        String err = stderr == null ? "" : stderr.toLowerCase(Locale.ROOT);
        String said = StderrLines.telling(stderr);
        if (gzipLevel && err.contains(NO_ZLIB_WARNING)) {
            return new Answer(Support.NO, said(stderr, NO_ZLIB_WARNING));
        }
        if (connected) {
            return new Answer(Support.YES, "");
        }
        if (err.contains(UNSUPPORTED)) {
            return new Answer(Support.NO, said);
        }
        // No listener reached (a firewall on the loopback interface), yet the words say it tried to connect.
        if (err.contains("connection to server") || err.contains("could not connect")) {
            return new Answer(Support.YES, "");
        }
        return new Answer(Support.UNKNOWN, said);
    }

    private static String said(String stderr, String phrase) {
        return stderr.lines().filter(l -> l.toLowerCase(Locale.ROOT).contains(phrase)).findFirst().orElse(stderr)
                .strip();
    }

    private static ProcessRunner runner(List<String> command) {
        return ProcessRunner.of(command).removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE)
                .timeout(TIMEOUT).killGrace(Duration.ofSeconds(1)).stderrLimit(8192).stdoutCaptureLimit(8192);
    }
}
