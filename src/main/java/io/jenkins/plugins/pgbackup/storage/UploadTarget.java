package io.jenkins.plugins.pgbackup.storage;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The requests {@link StreamingUploader} makes for one object, whoever makes them: the agent with its own S3 client
 * and keys ({@link #of(software.amazon.awssdk.services.s3.S3Client, String)}), or, when the keys stay on the
 * controller, presigned part URLs and calls to the controller ({@code signing.SignedUploadTarget}). The uploader keeps
 * the streaming, the checksums, the part pool and the cleanup's order and deadlines; a target only sends.
 *
 * <p>Failures are exceptions: a {@link StorageException} whose message says what storage answered, or the S3 SDK's
 * own runtime exceptions, which the uploader describes.
 */
public interface UploadTarget {

    /** The bucket, for messages. */
    String bucket();

    /**
     * Whether a source shorter than one part goes in a single PutObject ({@link #putObject}); otherwise it is a
     * multipart upload of one part.
     */
    boolean putsSmallObjects();

    /** Fails unless {@code key} is free: an upload never overwrites. */
    void requireAbsent(String key) throws IOException;

    /**
     * Starts a multipart upload of {@code key} carrying {@code metadata}.
     *
     * @return its upload id
     * @throws StorageException when storage refused it: nothing was created. Any other failure may have created an
     *     upload whose id never arrived.
     */
    String createUpload(String key, BackupMetadata metadata) throws IOException;

    /**
     * Sends one part; called from the uploader's pool, several at once.
     *
     * @return the part's ETag
     */
    String uploadPart(String key, String uploadId, int partNumber, byte[] buffer, int length)
            throws IOException, InterruptedException;

    /** Stores a small object in one request; only when {@link #putsSmallObjects()}. */
    void putObject(String key, BackupMetadata metadata, byte[] buffer, int length) throws IOException;

    /** CompleteMultipartUpload: the object exists afterwards. */
    void complete(String key, String uploadId, List<UploadedPart> parts) throws IOException;

    /** What the server holds at {@code key}, for the check after the upload. */
    ObjectHead head(String key) throws IOException;

    /**
     * Writes the manifest next to its object, which makes the backup complete.
     *
     * @return the manifest's key
     */
    String writeManifest(BackupManifest manifest) throws IOException;

    /**
     * Aborts a multipart upload, within {@code timeout}; the cleanup calls it from a thread nobody interrupts.
     *
     * @return {@code false} when storage knew no such upload (already aborted, or completed)
     */
    boolean abort(String key, String uploadId, Duration timeout) throws IOException;

    /** The ids of the multipart uploads of exactly {@code key} still open, within {@code timeout}. */
    List<String> openUploads(String key, Duration timeout) throws IOException;

    /** Deletes {@code key}, within {@code timeout}; a key that is already gone is no failure. */
    void delete(String key, Duration timeout) throws IOException;

    /** The agent's own client: every request with the SDK, as before the controller could sign. */
    static UploadTarget of(software.amazon.awssdk.services.s3.S3Client s3, String bucket) {
        return new S3UploadTarget(s3, bucket);
    }
}
