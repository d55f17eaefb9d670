package io.jenkins.plugins.pgbackup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** Writes and reads {@link BackupManifest}s in one bucket, at {@link BackupKeys#manifestKey(String)}. */
public final class ManifestStore {
    private final S3Client s3;
    private final String bucket;

    /** The caller keeps owning (and closes) the client. */
    public ManifestStore(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /**
     * Writes the manifest next to its dump, replacing any manifest there. Only the uploader calls this, after the
     * dump's upload completed and was checked: a manifest makes a backup complete.
     *
     * @return the manifest's key
     */
    public String write(BackupManifest manifest) throws StorageException {
        String key = BackupKeys.manifestKey(manifest.getKey());
        byte[] json = manifest.toJson();
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(BackupManifest.CONTENT_TYPE)
                    .contentLength((long) json.length), RequestBody.fromBytes(json));
        } catch (SdkException e) {
            throw new StorageException("Writing the manifest " + location(key) + " failed: " + S3Errors.describe(e),
                    e);
        }
        return key;
    }

    /**
     * The manifest of the dump at {@code dumpKey}, or empty if there is none.
     *
     * @throws UnusableManifestException if what is there is not a manifest this version can read
     * @throws StorageException if reading fails
     */
    public Optional<BackupManifest> read(String dumpKey) throws StorageException {
        String key = BackupKeys.manifestKey(dumpKey);
        byte[] json;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            json = readAtMost(in, key);
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw new StorageException("Reading the manifest " + location(key) + " failed: " + S3Errors.describe(e),
                    e);
        } catch (IOException e) {
            throw new StorageException("Reading the manifest " + location(key) + " failed: " + e.getMessage(), e);
        }
        return Optional.of(BackupManifest.parse(json, location(key)));
    }

    private byte[] readAtMost(InputStream in, String key) throws IOException {
        byte[] json = in.readNBytes(BackupManifest.MAX_BYTES + 1);
        if (json.length > BackupManifest.MAX_BYTES) {
            throw new UnusableManifestException(location(key) + " is not a usable backup manifest: it is larger "
                    + "than " + BackupManifest.MAX_BYTES + " bytes", null);
        }
        return json;
    }

    private String location(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
