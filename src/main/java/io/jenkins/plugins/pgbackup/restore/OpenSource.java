package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.signing.PresignedSource;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupSource;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where a restore (or a drill) reads its backup: the catalog with this machine's client when it holds the keys, or the
 * presigned reads of the backup the controller resolved when the controller signs (no client, no keys here).
 */
public final class OpenSource implements AutoCloseable {
    private final BackupSource source;
    private final S3Client client;

    private OpenSource(BackupSource source, S3Client client) {
        this.source = source;
        this.client = client;
    }

    public static OpenSource of(RestoreRequest request) {
        if (request.getTicket() != null) {
            return new OpenSource(new PresignedSource(request.getTicket(), request.getGrant()), null);
        }
        S3Client s3 = S3Clients.create(request.getStorage());
        return new OpenSource(new BackupCatalog(s3, request.getStorage()), s3);
    }

    public BackupSource source() {
        return source;
    }

    /** The client of the keys, or empty when the controller signs. */
    public Optional<S3Client> client() {
        return Optional.ofNullable(client);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
