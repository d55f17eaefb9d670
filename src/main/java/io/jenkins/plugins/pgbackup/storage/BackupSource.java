package io.jenkins.plugins.pgbackup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where a restore or a restore drill reads its backup from: the {@link BackupCatalog} when this machine holds the
 * storage keys, or the presigned reads of the one backup the controller resolved when the controller signs
 * ({@code io.jenkins.plugins.pgbackup.signing}). Every read is checked the same way: the content against the size and
 * SHA-256 its manifest (or metadata) records, the GET tied to the ETag with {@code If-Match}.
 */
public interface BackupSource {

    /** The bucket, for messages ({@code s3://bucket/key}). */
    String getBucket();

    /**
     * The complete backup at a key.
     *
     * @throws StorageException when there is none, or this source may not read it
     */
    BackupObject head(String key) throws StorageException;

    /** The newest complete backup of a database, if there is one. */
    Optional<BackupObject> latest(String database) throws StorageException, InterruptedException;

    /** The complete globals stored with the backup at {@code dumpKey}, if it was taken with them. */
    Optional<BackupObject> globals(String dumpKey) throws StorageException;

    /**
     * The content of a backup (or globals) found by this source, checked as it is read: at its end a size or SHA-256
     * other than recorded is an exception instead of the end of the stream.
     */
    InputStream openStream(BackupObject backup) throws IOException;
}
