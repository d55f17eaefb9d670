package io.jenkins.plugins.pgbackup.verify;

import io.jenkins.plugins.pgbackup.storage.StorageException;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Reads and writes the {@code <dump key>.verify.json} records of a bucket. */
public final class VerifyRecords {
    private final S3Client s3;
    private final String bucket;

    public VerifyRecords(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * The last drill's record of a backup.
     *
     * @return empty when the backup was never verified
     * @throws StorageException when S3 fails otherwise
     * @throws IOException when the record cannot be read (not JSON, newer version)
     */
    public Optional<VerifyRecord> read(String dumpKey) throws IOException {
        String key = VerifyRecord.keyFor(dumpKey);
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (e instanceof S3Exception s && s.statusCode() == 404) {
                return Optional.empty();
            }
            throw new StorageException("Reading s3://" + bucket + "/" + key + " failed: " + describe(e), e);
        }
        return Optional.of(VerifyRecord.parse(bytes.asByteArray(), "s3://" + bucket + "/" + key));
    }

    /** @return the record's key */
    public String write(VerifyRecord record) throws StorageException {
        String key = VerifyRecord.keyFor(record.getKey());
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromBytes(record.toJson()));
        } catch (SdkException e) {
            throw new StorageException("Writing s3://" + bucket + "/" + key + " failed: " + describe(e), e);
        }
        return key;
    }

    private static String describe(SdkException e) {
        if (e instanceof S3Exception s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode() + " (HTTP " + s.statusCode() + ")";
        }
        return String.valueOf(e.getMessage());
    }
}
