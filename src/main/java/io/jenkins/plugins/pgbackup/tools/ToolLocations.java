package io.jenkins.plugins.pgbackup.tools;

import java.io.File;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where client programs may be installed, in the order they are searched: the well-known installation directories
 * of each packaging ({@code {N}} standing for the major), then the roots an administrator configured, then every
 * {@code PATH} entry. Serializable, so the controller can send the configured roots to an agent; the defaults
 * read the agent's own {@code PATH}.
 */
public final class ToolLocations implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(ToolLocations.class.getName());

    /** The well-known bin directories by packaging, in search order; {@code {N}} is the major (17, or 9.6). */
    public static final List<String> WELL_KNOWN = List.of(
            "/usr/lib/postgresql/{N}/bin", // Debian, Ubuntu (apt.postgresql.org too)
            "/usr/local/pgsql/{N}/bin", // source builds
            "/opt/postgresql/{N}/bin",
            "/Library/PostgreSQL/{N}/bin", // EDB installer, macOS
            "/usr/pgsql-{N}/bin", // PGDG RPMs: RHEL, Rocky, Fedora
            "/usr/libexec/postgresql{N}", // Alpine
            "/opt/homebrew/opt/postgresql@{N}/bin", // Homebrew, Apple silicon
            "/usr/local/opt/postgresql@{N}/bin", // Homebrew, Intel
            "/Applications/Postgres.app/Contents/Versions/{N}/bin", // Postgres.app
            "C:\\Program Files\\PostgreSQL\\{N}\\bin"); // EDB installer, Windows

    private static final String MAJOR = "{N}";
    private static final Pattern MAJOR_NAME = Pattern.compile("\\d+(?:\\.\\d+)?");

    private final List<String> wellKnown;
    private final List<String> configuredRoots;
    private final List<String> pathEntries;

    private ToolLocations(List<String> wellKnown, List<String> configuredRoots, List<String> pathEntries) {
        this.wellKnown = List.copyOf(wellKnown);
        this.configuredRoots = configuredRoots.stream().filter(s -> s != null && !s.isBlank()).map(String::trim)
                .toList();
        this.pathEntries = pathEntries.stream().filter(s -> s != null && !s.isBlank()).toList();
    }

    /**
     * The well-known directories and this machine's {@code PATH}, after the administrator's roots.
     *
     * @param configuredRoots each a bin directory holding the programs, or a root holding {@code <N>/bin}
     */
    public static ToolLocations defaults(List<String> configuredRoots) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        return new ToolLocations(WELL_KNOWN, configuredRoots, Arrays.asList(path.split(Pattern.quote(File.pathSeparator))));
    }

    /** Explicit locations: for tests with fake layouts, or an agent with a special layout. */
    public static ToolLocations of(List<String> wellKnownTemplates, List<String> configuredRoots,
            List<String> pathEntries) {
        for (String t : wellKnownTemplates) {
            if (!t.contains(MAJOR)) {
                throw new IllegalArgumentException("a well-known location needs {N} for the major: " + t);
            }
        }
        return new ToolLocations(wellKnownTemplates, configuredRoots, pathEntries);
    }

    public List<String> configuredRoots() {
        return configuredRoots;
    }

    /**
     * The bin directories searched for major {@code major}, in order, whether they exist or not: each well-known
     * directory, then each configured root (itself, {@code root/N/bin}, {@code root/bin}), then each PATH entry.
     */
    public List<String> candidates(String major) {
        List<String> dirs = new ArrayList<>();
        wellKnown.forEach(t -> dirs.add(t.replace(MAJOR, major)));
        for (String root : configuredRoots) {
            dirs.add(root);
            dirs.add(join(join(root, major), "bin"));
            dirs.add(join(root, "bin"));
        }
        dirs.addAll(pathEntries);
        return dirs;
    }

    /**
     * The same search as {@link #scan()} as shell patterns, for a machine this JVM cannot list (a container): each
     * well-known directory with {@code [0-9]*} for the major, then each configured root (itself, {@code root/N/bin},
     * {@code root/bin}), then each PATH entry. Only absolute Unix paths.
     */
    List<String> unixPatterns() {
        List<String> patterns = new ArrayList<>();
        wellKnown.forEach(t -> patterns.add(t.replace(MAJOR, "[0-9]*")));
        for (String root : configuredRoots) {
            patterns.add(root);
            patterns.add(join(join(root, "[0-9]*"), "bin"));
            patterns.add(join(root, "bin"));
        }
        patterns.addAll(pathEntries);
        return patterns.stream().filter(p -> p.startsWith("/")).distinct().toList();
    }

    /**
     * Every existing directory that may hold client programs of any major, in search order. Majors are found by
     * listing the parent of each well-known pattern (and each configured root) rather than by trying numbers.
     */
    List<Path> scan() {
        List<Path> dirs = new ArrayList<>();
        for (String template : wellKnown) {
            dirs.addAll(expand(template));
        }
        for (String root : configuredRoots) {
            Path r = toPath(root);
            if (r != null) {
                dirs.add(r);
                dirs.addAll(majorDirs(r, "", "", "bin"));
                dirs.add(r.resolve("bin"));
            }
        }
        for (String entry : pathEntries) {
            Path p = toPath(entry);
            if (p != null) {
                dirs.add(p);
            }
        }
        return dirs.stream().filter(Files::isDirectory).distinct().toList();
    }

    /** "/usr/pgsql-{N}/bin": the children of /usr named pgsql-NN, each with /bin. */
    private static List<Path> expand(String template) {
        int at = template.indexOf(MAJOR);
        int segmentStart = Math.max(template.lastIndexOf('/', at), template.lastIndexOf('\\', at));
        int slash = template.indexOf('/', at);
        int backslash = template.indexOf('\\', at);
        int segmentEnd = slash < 0 ? backslash : backslash < 0 ? slash : Math.min(slash, backslash);
        if (segmentStart < 0) {
            return List.of();
        }
        Path parent = toPath(template.substring(0, segmentStart + 1));
        if (parent == null) {
            return List.of();
        }
        String segment = template.substring(segmentStart + 1, segmentEnd < 0 ? template.length() : segmentEnd);
        String rest = segmentEnd < 0 ? "" : template.substring(segmentEnd + 1);
        int m = segment.indexOf(MAJOR);
        return majorDirs(parent, segment.substring(0, m), segment.substring(m + MAJOR.length()), rest);
    }

    /** The children of {@code parent} named prefix + a major + suffix, each resolved against {@code rest}. */
    private static List<Path> majorDirs(Path parent, String prefix, String suffix, String rest) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        Pattern name = Pattern.compile(Pattern.quote(prefix) + "(" + MAJOR_NAME.pattern() + ")" + Pattern.quote(suffix));
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent)) {
            for (Path child : children) {
                Matcher m = name.matcher(String.valueOf(child.getFileName()));
                if (m.matches()) {
                    found.add(rest.isEmpty() ? child : child.resolve(rest.replace('\\', '/')));
                }
            }
        } catch (IOException e) {
            LOGGER.fine(() -> "cannot list " + parent + ": " + e);
        }
        found.sort(Comparator.comparing(Path::toString));
        return found;
    }

    /** The path if it is absolute on this system ("C:\..." is not, on Linux), else {@code null}. */
    private static Path toPath(String text) {
        try {
            Path p = Path.of(text);
            return p.isAbsolute() ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String join(String dir, String child) {
        String sep = dir.contains("\\") && !dir.contains("/") ? "\\" : "/";
        return dir.endsWith(sep) ? dir + child : dir + sep + child;
    }

    @Override
    public String toString() {
        return "well-known " + wellKnown + ", configured " + configuredRoots + ", PATH " + pathEntries;
    }
}
