package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.StorageProvider;
import java.io.Serial;
import java.io.Serializable;

/**
 * A storage location with its keys resolved on the controller, ready to cross to the agent that talks to S3.
 * {@link #toString()} leaves the secret key out.
 *
 * @param prefix without leading or trailing slashes, {@code null} for the bucket's root
 * @param endpoint {@code null} for Amazon S3's own endpoints
 * @param region {@code null} to let the SDK find it (Amazon S3 only)
 * @param checksumWhenRequired whether the SDK may only send checksums where an operation requires them (R2 and
 *     S3-compatible services)
 */
public record ResolvedStorage(StorageProvider provider, String bucket, String prefix, String endpoint, String region,
        boolean pathStyle, boolean checksumWhenRequired, String accessKeyId, String secretKey)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** "s3://bucket/prefix" for the log. */
    public String describe() {
        return "s3://" + bucket + (prefix == null ? "" : "/" + prefix)
                + (endpoint == null ? "" : " at " + endpoint);
    }

    @Override
    public String toString() {
        return describe() + " (" + provider + ", access key " + accessKeyId + ")";
    }
}
