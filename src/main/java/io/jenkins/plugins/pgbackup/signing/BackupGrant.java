package io.jenkins.plugins.pgbackup.signing;

import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.ObjectHead;
import io.jenkins.plugins.pgbackup.storage.UploadedPart;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What an agent may ask of the controller for one backup when the controller keeps the storage keys. The agent holds
 * a remote reference to it (in Jenkins, exported through the agent's channel); the implementation,
 * {@link BackupSigner}, runs on the controller and refuses every key but the new ones of the backup's own database.
 * Arguments and results are small and serializable: part bytes never pass here, they go to presigned URLs.
 *
 * <p>A refusal, or what S3 answered, is a {@link io.jenkins.plugins.pgbackup.storage.StorageException} whose message
 * names no secret.
 */
public interface BackupGrant {

    /** The most part URLs one {@link #partUrls} call hands out. */
    int MAX_URLS_PER_CALL = 64;

    /** The storage preflight, run on the controller: the bucket exists and the keys may write to it. */
    void checkWritable() throws IOException, InterruptedException;

    /** Fails unless {@code key} is a new key of this backup's database and free; claims it for this backup. */
    void requireAbsent(String key) throws IOException;

    /**
     * Starts the multipart upload of a claimed key with the object's metadata, which names this backup's database.
     *
     * @return the upload id
     * @throws io.jenkins.plugins.pgbackup.storage.StorageException when S3 or the grant refused: nothing was created
     */
    String createUpload(String key, BackupMetadata metadata) throws IOException;

    /** Presigned UploadPart URLs for parts {@code first} to {@code first + count - 1} of an upload of this grant. */
    List<PartUrl> partUrls(String key, String uploadId, int first, int count) throws IOException;

    /** Completes an upload of this grant with the parts' ETags. */
    void complete(String key, String uploadId, List<UploadedPart> parts) throws IOException;

    /** HEAD of an object this grant completed. */
    ObjectHead head(String key) throws IOException;

    /**
     * Writes the manifest of an object this grant completed, after checking the manifest's size and ETag against
     * the object.
     *
     * @return the manifest's key
     */
    String writeManifest(BackupManifest manifest) throws IOException;

    /**
     * Aborts an upload this grant created, within {@code timeout}.
     *
     * @return {@code false} when S3 knew no such upload
     */
    boolean abort(String key, String uploadId, Duration timeout) throws IOException;

    /** The uploads of {@code key} this grant created that are still open (its create's answer may have been lost). */
    List<String> openUploads(String key, Duration timeout) throws IOException;

    /** Deletes an object, or the manifest of an object, that this grant created. */
    void delete(String key, Duration timeout) throws IOException;

    /**
     * Deletes an object this grant stored and its manifest: the globals of a dump that failed afterwards.
     *
     * @throws io.jenkins.plugins.pgbackup.storage.StorageException when either could not be deleted
     */
    void deleteStored(String key) throws IOException;
}
