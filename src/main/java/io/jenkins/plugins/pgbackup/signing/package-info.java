/**
 * The mode where the controller keeps the storage keys and agents get presigned URLs only (issue 18). The controller
 * holds a {@link io.jenkins.plugins.pgbackup.signing.BackupSigner} (an S3 client and a presigner, bound to one backup);
 * the agent sees it only as a {@link io.jenkins.plugins.pgbackup.signing.BackupGrant}, a remote reference, and streams
 * the parts itself ({@link io.jenkins.plugins.pgbackup.signing.SignedUploadTarget}). No Jenkins imports: Jenkins
 * exports the grant through the agent's channel.
 */
package io.jenkins.plugins.pgbackup.signing;
