package io.jenkins.plugins.pgbackup.tools;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Picks the client program to run, on the machine that runs it. Every candidate location (see {@link ToolLocations})
 * is scanned for installed clients of any major, each is probed ({@code --version}: the real major counts, not the
 * path), and a {@link ClientPolicy} chooses among them; ties go to the first in search order.
 */
public final class ToolResolver {
    private final ToolLocations locations;
    private final ProcessStarter starter;
    private final boolean windows;
    /** Where the programs run elsewhere: what the scan there found, and the probes of those, for this resolver. */
    private List<RemoteClients.Listed> listed;
    private String scanProblem;
    private final Map<RemoteClients.Listed, ClientProbe.Probed> probed = new HashMap<>();

    /** Resolves the clients of this machine. */
    public ToolResolver(ToolLocations locations) {
        this(locations, ProcessStarter.local());
    }

    /**
     * Resolves the clients where {@code starter} runs them: this machine's, or, for a starter that runs them
     * elsewhere (a container), those found there with the same locations and that side's {@code PATH}.
     */
    public ToolResolver(ToolLocations locations, ProcessStarter starter) {
        this.locations = locations;
        this.starter = starter;
        this.windows = starter.isLocal() && File.separatorChar == '\\';
    }

    /**
     * The pg_dump for a server: its major if installed, else the lowest newer major, never an older one. For an
     * unknown server version, the newest pg_dump found, with a warning.
     *
     * @param server the server's version, or {@code null} when it is unknown
     * @throws NoSuitableClientException if none fits (before anything connects to the server)
     */
    public ClientTool resolvePgDump(PostgresVersion server, EngineLog log) throws NoSuitableClientException {
        return resolveForServer(ToolKind.PG_DUMP, server, log);
    }

    /**
     * The pg_dumpall for a server's globals, chosen exactly as {@link #resolvePgDump} chooses pg_dump: like pg_dump,
     * it refuses a server newer than itself.
     */
    public ClientTool resolvePgDumpall(PostgresVersion server, EngineLog log) throws NoSuitableClientException {
        return resolveForServer(ToolKind.PG_DUMPALL, server, log);
    }

    private ClientTool resolveForServer(ToolKind kind, PostgresVersion server, EngineLog log)
            throws NoSuitableClientException {
        if (server == null) {
            ClientTool newest = resolve(kind, ClientPolicy.newest(), EngineLog.none());
            log.warn("The server's version is unknown: using the newest " + kind.command() + " found, " + newest
                    + " (set the PostgreSQL version explicitly to choose another)");
            return newest;
        }
        return resolve(kind, ClientPolicy.forServer(server), log);
    }

    /**
     * The installed {@code kind} that the policy prefers.
     *
     * @throws NoSuitableClientException if none is acceptable; the message lists what was found and what to install
     */
    public ClientTool resolve(ToolKind kind, ClientPolicy policy, EngineLog log) throws NoSuitableClientException {
        List<ClientTool> installed = installed(kind);
        Optional<ClientTool> chosen = choose(installed, policy);
        if (chosen.isEmpty()) {
            throw new NoSuitableClientException(explain(kind, policy, installed));
        }
        ClientTool tool = chosen.get();
        log.info("Using " + tool + " (" + tool.versionOutput() + "; needed: " + policy.describe()
                + (kind == ToolKind.PG_DUMP ? "; compression support: " + compression(tool) : "") + ")");
        return tool;
    }

    /**
     * Whether a client's stderr says it refused the server for being newer ("aborting because of server version
     * mismatch"): the cue to re-detect the server's version and resolve again. The words are English whatever the
     * agent's language: every tool runs with {@code LC_MESSAGES=C} ({@link
     * io.jenkins.plugins.pgbackup.process.ToolEnvironment}).
     */
    public static boolean reportsServerVersionMismatch(String stderr) {
        return stderr != null && stderr.contains("server version mismatch");
    }

    /** Every usable {@code kind} found, in search order, each probed. */
    public List<ClientTool> installed(ToolKind kind) {
        List<ClientTool> tools = new ArrayList<>();
        for (Found f : found(kind)) {
            if (f.probed().usable()) {
                tools.add(new ClientTool(kind, f.exe(), f.probed().version(), f.probed().versionOutput(),
                        compressionOf(kind, f.exe(), f.probed())));
            }
        }
        return tools;
    }

    /** The installed programs that do not run or print no version, with the reason: for diagnostics. */
    public List<String> unusable(ToolKind kind) {
        List<String> problems = new ArrayList<>();
        for (Found f : found(kind)) {
            if (!f.probed().usable()) {
                problems.add(f.exe() + ": " + f.probed().problem());
            }
        }
        return problems;
    }

    /** A program found, probed. */
    private record Found(Path exe, ClientProbe.Probed probed) {}

    private List<Found> found(ToolKind kind) {
        if (!starter.isLocal()) {
            return remote().stream().filter(l -> l.kind() == kind)
                    .map(l -> new Found(l.path(), probed.computeIfAbsent(l, k -> ClientProbe.probe(k, starter))))
                    .toList();
        }
        return executables(kind).stream().map(exe -> new Found(exe, ClientProbe.probe(exe, kind))).toList();
    }

    /** What the one scan where the programs run found; an unreachable scan reads as nothing found, with why. */
    private List<RemoteClients.Listed> remote() {
        if (listed == null) {
            try {
                listed = RemoteClients.list(locations, starter);
            } catch (IOException e) {
                listed = List.of();
                scanProblem = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                listed = List.of();
                scanProblem = "interrupted while listing the clients";
            }
        }
        return listed;
    }

    static Optional<ClientTool> choose(List<ClientTool> installed, ClientPolicy policy) {
        List<ClientTool> acceptable = installed.stream().filter(t -> policy.accepts(t.version())).toList();
        PostgresVersion preferred = policy.preferred();
        if (preferred == null) {
            return acceptable.stream().max(Comparator.comparingInt((ClientTool t) -> t.version().majorOrdinal())
                    .thenComparing(t -> -acceptable.indexOf(t)));
        }
        Optional<ClientTool> exact = acceptable.stream().filter(t -> t.version().sameMajor(preferred)).findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        Optional<ClientTool> lowestNewer = acceptable.stream()
                .filter(t -> t.version().majorOrdinal() > preferred.majorOrdinal())
                .min(Comparator.comparingInt(t -> t.version().majorOrdinal()));
        if (lowestNewer.isPresent()) {
            return lowestNewer;
        }
        return acceptable.stream().max(Comparator.comparingInt((ClientTool t) -> t.version().majorOrdinal())
                .thenComparing(t -> -acceptable.indexOf(t)));
    }

    /** pg_restore and psql share their build with the pg_dump next to them. */
    private ClientTool.Compression compressionOf(ToolKind kind, Path exe, ClientProbe.Probed probed) {
        if (kind == ToolKind.PG_DUMP) {
            return probed.compression();
        }
        if (!starter.isLocal()) {
            Path dir = exe.getParent();
            return dir == null ? ClientTool.Compression.NONE : found(ToolKind.PG_DUMP).stream()
                    .filter(f -> dir.equals(f.exe().getParent()))
                    .filter(f -> f.probed().usable() && f.probed().version().equals(probed.version()))
                    .map(f -> f.probed().compression()).findFirst().orElse(ClientTool.Compression.NONE);
        }
        Path pgDump = exe.resolveSibling(ToolKind.PG_DUMP.fileName(windows));
        if (!Files.isExecutable(pgDump)) {
            return ClientTool.Compression.NONE;
        }
        ClientProbe.Probed sibling = ClientProbe.probe(pgDump, ToolKind.PG_DUMP);
        return sibling.usable() && sibling.version().equals(probed.version()) ? sibling.compression()
                : ClientTool.Compression.NONE;
    }

    private List<Path> executables(ToolKind kind) {
        List<Path> found = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path dir : locations.scan()) {
            Path exe = dir.resolve(kind.fileName(windows));
            if (Files.isRegularFile(exe) && Files.isExecutable(exe) && seen.add(realPath(exe))) {
                found.add(exe);
            }
        }
        return found;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** "gzip yes, lz4 no, zstd no (lz4: pg_dump: error: this build does not support compression with LZ4; ...)". */
    private static String compression(ClientTool t) {
        String evidence = t.compressionEvidence();
        return t.describeCompression() + (evidence.isEmpty() ? "" : " (" + evidence + ")");
    }

    private String explain(ToolKind kind, ClientPolicy policy, List<ClientTool> installed) {
        String tool = kind.command();
        StringBuilder sb = new StringBuilder();
        PostgresVersion wanted = policy.toInstall();
        if ((kind == ToolKind.PG_DUMP || kind == ToolKind.PG_DUMPALL) && policy.minimum() != null) {
            sb.append("No ").append(tool).append(" can back up this PostgreSQL ").append(policy.minimum())
                    .append(" server: it needs ").append(tool).append(' ').append(policy.minimum().majorLabel())
                    .append(" or newer (an older one refuses with \"server version mismatch\").");
        } else {
            sb.append("No suitable ").append(tool).append(" found: it needs ").append(policy.describe()).append('.');
        }
        if (installed.isEmpty()) {
            sb.append(" No ").append(tool).append(" is installed in any known location.");
        } else {
            sb.append(" Found: ").append(installed.stream().map(t -> tool + " " + t.version() + " in " + t.binDir())
                    .collect(Collectors.joining(", "))).append('.');
        }
        List<String> broken = unusable(kind);
        if (!broken.isEmpty()) {
            sb.append(" Unusable: ").append(String.join("; ", broken)).append('.');
        }
        if (!starter.isLocal()) {
            sb.append(" The clients run in the ").append(starter).append(", where ")
                    .append(scanProblem != null ? "they could not be listed: " + scanProblem
                            : "the search adds that side's own PATH")
                    .append('.');
        }
        sb.append(' ').append(installAdvice(wanted));
        sb.append(" Searched: ")
                .append(String.join(", ", locations.candidates(wanted == null ? "<N>" : wanted.majorLabel())))
                .append('.');
        return sb.toString();
    }

    private static String installAdvice(PostgresVersion wanted) {
        if (wanted == null) {
            return "Install the PostgreSQL client programs (Debian/Ubuntu: postgresql-client; RHEL: postgresql; "
                    + "macOS: brew install libpq), or configure the directory that holds them.";
        }
        String n = wanted.majorLabel();
        return "Install the PostgreSQL " + n + " client (or a newer one): postgresql-client-" + n
                + " on Debian/Ubuntu (from apt.postgresql.org if the release lacks it), postgresql" + n.replace(".", "")
                + " from the PGDG repository on RHEL/Rocky/Fedora, postgresql@" + n + " with Homebrew, or the EDB "
                + "installer on Windows; or configure the directory that holds it.";
    }
}
