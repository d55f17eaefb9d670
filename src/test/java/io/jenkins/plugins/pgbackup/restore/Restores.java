package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Real backups into S3Proxy and restores out of it, with the test clients only. */
final class Restores {
    private final S3ProxyServer s3;
    private final String bucket;
    private final StorageSettings storage;

    Restores(S3ProxyServer s3, String prefix) {
        this.s3 = s3;
        this.bucket = s3.createBucket();
        this.storage = s3.settings(bucket, prefix);
    }

    S3ProxyServer s3() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    StorageSettings storage() {
        return storage;
    }

    /** Only the clients under {@code pgbackup.test.clients}, not whatever the machine has. */
    static ToolLocations clients() {
        return clientsUnder(PgClients.requireRoot());
    }

    static ToolLocations clientsUnder(Path root) {
        return ToolLocations.of(List.of(), List.of(root.toString()), List.of());
    }

    /** A backup of {@code database} with the lead's engine, as the plugin takes it. */
    BackupResult backup(PostgresServers.Server server, String database, DumpFormat format, int jobs)
            throws Exception {
        return backup(server, database, format, jobs, Clock.systemUTC());
    }

    BackupResult backup(PostgresServers.Server server, String database, DumpFormat format, int jobs, Clock clock)
            throws Exception {
        return backup(BackupRequest.builder(server.spec(database), storage).format(format).jobs(jobs), clock);
    }

    BackupResult backup(BackupRequest.Builder request, Clock clock) throws Exception {
        return new BackupEngine(clock).run(request.toolLocations(clients()).build(), new RecordingLog());
    }

    RestoreRequest.Builder request(ConnectionSpec target) {
        return RestoreRequest.builder(target, storage).toolLocations(clients());
    }

    /** A fresh database name with the given stem, unique per call. */
    static String name(String stem) {
        return stem + "_" + UUID.randomUUID().toString().substring(0, 8);
    }
}
