package io.jenkins.plugins.pgbackup.storage;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** An {@link UploadTarget} that sends every request with an S3 client of its own: the keys are on this machine. */
final class S3UploadTarget implements UploadTarget {
    private final S3Client s3;
    private final String bucket;
    private final ManifestStore manifests;

    S3UploadTarget(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.manifests = new ManifestStore(s3, bucket);
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public boolean putsSmallObjects() {
        return true;
    }

    @Override
    public void requireAbsent(String key) throws StorageException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return;
            }
            throw new StorageException("Cannot check s3://" + bucket + "/" + key + " before uploading: "
                    + S3Errors.describe(e), e);
        }
        throw new StorageException("An object already exists at s3://" + bucket + "/" + key
                + "; refusing to overwrite it");
    }

    @Override
    public String createUpload(String key, BackupMetadata metadata) throws StorageException {
        try {
            return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(StreamingUploader.CONTENT_TYPE)
                    .metadata(metadata.toUserMetadata())).uploadId();
        } catch (AwsServiceException e) {
            // The server answered: it created nothing. Anything else (an interruption, a lost answer) may have.
            throw new StorageException(S3Errors.describe(e), e);
        }
    }

    @Override
    public String uploadPart(String key, String uploadId, int partNumber, byte[] buffer, int length) {
        return s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                .contentLength((long) length), body(buffer, length)).eTag();
    }

    @Override
    public void putObject(String key, BackupMetadata metadata, byte[] buffer, int length) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(StreamingUploader.CONTENT_TYPE)
                .contentLength((long) length).metadata(metadata.toUserMetadata()), body(buffer, length));
    }

    @Override
    public void complete(String key, String uploadId, List<UploadedPart> parts) {
        List<CompletedPart> completed = new ArrayList<>(parts.size());
        for (UploadedPart p : parts) {
            completed.add(CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed)));
    }

    @Override
    public ObjectHead head(String key) throws StorageException {
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new StorageException("Checking s3://" + bucket + "/" + key + " after the upload failed: "
                    + S3Errors.describe(e), e);
        }
        return new ObjectHead(head.contentLength(), head.metadata(), head.eTag());
    }

    @Override
    public String writeManifest(BackupManifest manifest) throws StorageException {
        return manifests.write(manifest);
    }

    @Override
    public boolean abort(String key, String uploadId, Duration timeout) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout)));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<String> openUploads(String key, Duration timeout) {
        List<String> ids = new ArrayList<>();
        s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(key)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout))).uploads().forEach(u -> {
                    if (u.key().equals(key)) {
                        ids.add(u.uploadId());
                    }
                });
        return ids;
    }

    @Override
    public void delete(String key, Duration timeout) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key).overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw e;
            }
        }
    }

    private static RequestBody body(byte[] buffer, int n) {
        // Each attempt reads the buffer afresh, so the SDK can retry a part without copying it.
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, n), n,
                StreamingUploader.CONTENT_TYPE);
    }
}
