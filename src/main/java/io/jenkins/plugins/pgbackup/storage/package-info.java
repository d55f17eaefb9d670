/**
 * Backups in S3, Cloudflare R2 and S3-compatible storage, without Jenkins: {@link
 * io.jenkins.plugins.pgbackup.storage.StorageSettings} say where, {@link io.jenkins.plugins.pgbackup.storage.S3Clients}
 * builds the client, {@link io.jenkins.plugins.pgbackup.storage.StreamingUploader} streams a dump into an object with
 * {@link io.jenkins.plugins.pgbackup.storage.BackupMetadata} under a {@link io.jenkins.plugins.pgbackup.storage.BackupKeys
 * key}, and {@link io.jenkins.plugins.pgbackup.storage.BackupCatalog} finds, reads, verifies and deletes backups.
 *
 * <p>An object is a backup only if this plugin wrote it completely: its {@link
 * io.jenkins.plugins.pgbackup.storage.BackupManifest manifest}, written last next to it, exists and agrees with it (or,
 * for backups written before manifests, its metadata has the {@code created-by} marker, {@code size} and
 * {@code sha256}). See {@code docs/manifest.md}. Nothing here touches any other object.
 */
package io.jenkins.plugins.pgbackup.storage;
