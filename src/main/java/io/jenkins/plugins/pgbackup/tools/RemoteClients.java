package io.jenkins.plugins.pgbackup.tools;

import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The clients installed where a {@link ProcessStarter} runs programs that this JVM cannot list (a container): one
 * shell command, in one round trip, lists the executables in the same locations as on this machine (well-known
 * directories, configured roots, the build's PATH) followed by that side's own {@code PATH}, with each one's real path,
 * a stamp (size and modification time) and its {@code --version} line.
 */
final class RemoteClients {
    private static final Logger LOGGER = Logger.getLogger(RemoteClients.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * {@code sh -c SCAN sh <pattern>...}: each pattern, then each entry of {@code $PATH}, expanded as a path pattern;
     * for every client program in an existing directory, one line: kind, path, real path, stamp, version line. A
     * directory seen before under another name ({@code /bin} and {@code /usr/bin}) and a program seen before (Debian's
     * {@code pg_wrapper} behind every name) are not asked again: each {@code --version} costs a process.
     */
    static final String SCAN = String.join("\n",
            "nl='",
            "'",
            "set -f; dirs=",
            "for a in \"$@\"; do dirs=$dirs$a$nl; done",
            "IFS=:; for a in $PATH; do dirs=$dirs$a$nl; done",
            "IFS=$nl; set +f; seen=$nl",
            "for d in $dirs; do",
            "  [ -d \"$d\" ] || continue",
            "  rd=$(cd \"$d\" 2>/dev/null && pwd -P) || rd=$d",
            "  case $seen in *\"${nl}dir:$rd$nl\"*) continue;; esac; seen=${seen}dir:$rd$nl",
            "  for k in pg_dump pg_dumpall pg_restore psql; do",
            "    f=$d/$k",
            "    [ -f \"$f\" ] && [ -x \"$f\" ] || continue",
            "    r=$(readlink -f \"$f\" 2>/dev/null) || r=$f",
            "    case $seen in *\"$nl$k:$r$nl\"*) continue;; esac; seen=$seen$k:$r$nl",
            "    s=$(stat -L -c '%s.%Y' \"$f\" 2>/dev/null) || s=",
            "    v=$(\"$f\" --version 2>&1 | head -n 1)",
            "    printf '%s\\t%s\\t%s\\t%s\\t%s\\n' \"$k\" \"$f\" \"$r\" \"$s\" \"$v\"",
            "  done",
            "done");

    /** One client found: where, its real path and stamp (for the probe cache), and what it said its version was. */
    record Listed(ToolKind kind, Path path, String realPath, String stamp, String versionLine) {}

    private RemoteClients() {}

    /**
     * What one starter's scan found, for the life of that starter (one step): the engines of a step resolve several
     * times (pg_dump and pg_dumpall, pg_restore and psql, the drill's inventory), the container stays the same.
     */
    private static final Map<ProcessStarter, Map<List<String>, List<Listed>>> SCANS =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** Every client program found, in search order, each real file once; scanned once per starter and locations. */
    static List<Listed> list(ToolLocations locations, ProcessStarter starter) throws IOException, InterruptedException {
        Map<List<String>, List<Listed>> byLocations = SCANS.computeIfAbsent(starter,
                s -> new ConcurrentHashMap<>());
        List<String> patterns = locations.unixPatterns();
        List<Listed> known = byLocations.get(patterns);
        if (known == null) {
            known = scan(patterns, starter);
            byLocations.put(patterns, known);
        }
        return known;
    }

    private static List<Listed> scan(List<String> patterns, ProcessStarter starter)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", SCAN, "sh"));
        command.addAll(patterns);
        ProcessResult r = ProcessRunner.of(command).name("the client scan").starter(starter)
                .removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE).timeout(TIMEOUT)
                .stdoutCaptureLimit(1024 * 1024).run();
        if (!r.succeeded()) {
            throw new IOException("cannot list the PostgreSQL clients in the " + starter + ": " + r.describeFailure());
        }
        List<Listed> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String line : r.stdoutText().split("\n")) {
            String[] f = line.split("\t", 5);
            if (f.length < 5) {
                continue;
            }
            ToolKind kind = kind(f[0]);
            if (kind != null && seen.add(f[0] + "\t" + f[2])) {
                found.add(new Listed(kind, Path.of(f[1]), f[2], f[3], f[4].strip()));
            }
        }
        LOGGER.fine(() -> "clients in the " + starter + ": " + found);
        return List.copyOf(found);
    }

    private static ToolKind kind(String command) {
        for (ToolKind k : ToolKind.values()) {
            if (k.command().equals(command)) {
                return k;
            }
        }
        return null;
    }
}
