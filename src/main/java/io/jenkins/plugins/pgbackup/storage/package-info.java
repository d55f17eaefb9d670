/**
 * Backups in S3, Cloudflare R2 and S3-compatible storage, without Jenkins: {@link
 * io.jenkins.plugins.pgbackup.storage.StorageSettings} say where, {@link io.jenkins.plugins.pgbackup.storage.S3Clients}
 * builds the client, {@link io.jenkins.plugins.pgbackup.storage.StreamingUploader} streams a dump into an object with
 * {@link io.jenkins.plugins.pgbackup.storage.BackupMetadata} under a {@link io.jenkins.plugins.pgbackup.storage.BackupKeys
 * key}, and {@link io.jenkins.plugins.pgbackup.storage.BackupCatalog} finds, reads, verifies and deletes backups.
 *
 * <p>An object is a backup only if this plugin wrote it completely: its metadata has the {@code created-by} marker and
 * a {@code sha256}, which the uploader adds last. Nothing here touches any other object.
 */
package io.jenkins.plugins.pgbackup.storage;
