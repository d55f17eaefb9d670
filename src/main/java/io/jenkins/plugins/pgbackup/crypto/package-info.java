/**
 * Client-side encryption of backups in the age format (X25519 recipients), through the jagged library: streams that
 * encrypt a dump on its way to storage and decrypt it on its way to the restore, in bounded memory. Backups need only
 * the recipients' public keys; restores need an identity. No Jenkins imports.
 */
package io.jenkins.plugins.pgbackup.crypto;
