package io.jenkins.plugins.pgbackup.process;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A temporary {@code .pgpass} file holding one password, so that it reaches libpq without a command line or an
 * environment variable another process could read. Created with permissions 0600 from the start (libpq ignores a
 * file others can read), deleted by {@link #close()}:
 *
 * <pre>{@code
 * try (PgPassFile pgpass = PgPassFile.create(spec)) {
 *     runner.environment(pgpass.environment()).run();
 * }
 * }</pre>
 */
public final class PgPassFile implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(PgPassFile.class.getName());
    /** The variable that points libpq at the file. */
    public static final String VARIABLE = "PGPASSFILE";

    private final Path path;
    private final Map<String, String> environment;

    private PgPassFile(Path path, Map<String, String> environment) {
        this.path = path;
        this.environment = environment;
    }

    /** Writes the file in the system's temporary directory. */
    public static PgPassFile create(ConnectionSpec spec) throws IOException {
        return create(spec, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Writes the file in {@code directory}. The entry matches the spec's host, port and user and any database, so
     * that one file serves a restore that connects to a maintenance database first. Put it where the process runs
     * (an agent's temporary directory); the caller must {@link #close()} it.
     *
     * @throws IllegalArgumentException if the password holds a line break, which {@code .pgpass} cannot express
     */
    public static PgPassFile create(ConnectionSpec spec, Path directory) throws IOException {
        String password = spec.getPassword();
        if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("The password for " + spec + " contains a line break, which a "
                    + "PostgreSQL password file cannot hold");
        }
        String rest = ":" + spec.getPort() + ":*:" + escape(spec.getUsername()) + ":" + escape(password) + "\n";
        String line = escape(spec.getHost()) + rest;
        if (isSocketDirectory(spec.getHost())) {
            // libpq matches a socket in its compiled-in default directory as "localhost", any other one literally.
            line += "localhost" + rest;
        }
        Path file = createPrivateFile(directory);
        try {
            Files.write(file, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put(VARIABLE, file.toString());
        env.put("PGSSLMODE", spec.getSslMode().value());
        env.put("PGCONNECT_TIMEOUT", Integer.toString(spec.getConnectTimeoutSeconds()));
        return new PgPassFile(file, Map.copyOf(env));
    }

    private static Path createPrivateFile(Path directory) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // Owner-only from the first moment: no window in which the file exists with wider permissions.
            return Files.createTempFile(directory, "pgbackup-", ".pgpass",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(directory, "pgbackup-", ".pgpass");
    }

    private static boolean isSocketDirectory(String host) {
        return host.startsWith("/") || host.startsWith("@");
    }

    /** Backslash-escapes {@code \} and {@code :}, as libpq reads the fields of a password file. */
    static String escape(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }

    public Path path() {
        return path;
    }

    /** {@code PGPASSFILE}, {@code PGSSLMODE} and {@code PGCONNECT_TIMEOUT} for the process. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Deletes the file; never throws, as it runs in {@code finally}. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not delete the temporary password file " + path, e);
        }
    }
}
