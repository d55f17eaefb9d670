package io.jenkins.plugins.pgbackup.demo;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The demo's database and S3 API together. {@link #main} runs them in a JVM of their own, beside Jenkins (see
 * {@link DemoServicesProcess}): it prints {@code PORT}, {@code ENDPOINT} and {@code READY} lines once both listen, and
 * stops them when its standard input closes, which happens when Jenkins stops, however it stops.
 */
public final class DemoServices implements AutoCloseable {
    private final DemoDatabase database;
    private final DemoStorage storage;
    private final DemoEnvironment environment;

    private DemoServices(DemoDatabase database, DemoStorage storage, DemoSecrets secrets) {
        this.database = database;
        this.storage = storage;
        this.environment = new DemoEnvironment(database.port(), storage.endpoint(), secrets);
    }

    /**
     * Starts both on the data in {@code dir}, made there on the first start.
     *
     * @param binaries the folder holding zonky's PostgreSQL binaries jars
     */
    public static DemoServices start(Path dir, Path binaries) throws Exception {
        DemoSecrets secrets = DemoSecrets.loadOrCreate(dir);
        DemoDatabase database = DemoDatabase.start(dir, binaries, secrets);
        try {
            return new DemoServices(database, DemoStorage.start(dir, secrets), secrets);
        } catch (Exception e) {
            database.close();
            throw e;
        }
    }

    public DemoEnvironment environment() {
        return environment;
    }

    public DemoDatabase database() {
        return database;
    }

    @Override
    public void close() throws Exception {
        try {
            storage.close();
        } finally {
            database.close();
        }
    }

    /** {@code DemoServices <demo folder> <binaries folder>}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DemoServices DEMO_DIR POSTGRES_BINARIES_DIR");
            System.exit(2);
        }
        try (DemoServices services = start(Path.of(args[0]), Path.of(args[1]))) {
            System.out.println(DemoServicesProcess.PORT + services.environment().postgresPort());
            System.out.println(DemoServicesProcess.ENDPOINT + services.environment().s3Endpoint());
            System.out.println(DemoServicesProcess.READY);
            System.out.flush();
            while (System.in.read() >= 0) {
                // Jenkins holds the pipe open while it runs
            }
        } catch (SQLException e) {
            System.err.println("The demo's PostgreSQL could not be set up: " + e);
            System.exit(1);
        }
        System.exit(0);
    }
}
