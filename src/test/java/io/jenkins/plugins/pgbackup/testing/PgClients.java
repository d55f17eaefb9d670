package io.jenkins.plugins.pgbackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The real PostgreSQL clients that {@code .ci/install-pg-clients} puts side by side under
 * {@code System.getProperty("pgbackup.test.clients")}: {@code <N>/bin/pg_dump}, {@code pg_restore}, {@code psql}.
 * A missing client skips the test on a developer machine and fails it in CI ({@code CI=true}).
 */
public final class PgClients {
    /** The majors the installer provides. */
    public static final List<Integer> MAJORS = List.of(13, 15, 17, 18);

    private PgClients() {}

    /** Where the installer put the clients. */
    public static Path root() {
        String dir = System.getProperty("pgbackup.test.clients");
        return dir == null || dir.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "pgbackup", "pg-clients")
                : Path.of(dir);
    }

    /** The bin directory of client {@code major}, with pg_dump, pg_restore, psql and pg_dumpall. */
    public static Path binDir(int major) {
        Path bin = root().resolve(Integer.toString(major)).resolve("bin");
        Environment.require(Files.isExecutable(bin.resolve("pg_dump")),
                "PostgreSQL client " + major + " is not installed under " + root() + "; run .ci/install-pg-clients");
        return bin;
    }

    /** A tool of client {@code major}: {@code tool(17, "pg_dump")}. */
    public static Path tool(int major, String name) {
        return binDir(major).resolve(name);
    }

    /** Every installed client by major; requires all of {@link #MAJORS}. */
    public static Map<Integer, Path> all() {
        Map<Integer, Path> found = new TreeMap<>();
        for (int major : MAJORS) {
            found.put(major, binDir(major));
        }
        return found;
    }

    /** The installer's root, for tests that scan it as an administrator-configured root ({@code N/bin}). */
    public static Path requireRoot() {
        all();
        return root();
    }

    /** Debian's own client, when the machine has one ({@code /usr/lib/postgresql/15/bin}). */
    public static List<Path> systemClients() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(base)) {
            return dirs.map(d -> d.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_dump"))).sorted()
                    .toList();
        }
    }
}
