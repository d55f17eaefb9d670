package io.jenkins.plugins.pgbackup.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads the record {@code pgVerify} leaves next to a backup, {@code <dump key>.verify.json} (format: verify-version 1,
 * outcome, summary, finished, build; unknown fields ignored, newer versions refused). One small GET per backup shown.
 */
public final class LastVerifyReader {
    /** What follows the dump key. */
    public static final String SUFFIX = BackupKeys.VERIFY_RECORD_SUFFIX; // one spelling: retention deletes them

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final String bucket;

    public LastVerifyReader(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * The last drill of the backup at {@code dumpKey}, or {@code null} if it was never verified or the record cannot
     * be read by this version.
     *
     * @throws StorageException when storage fails
     */
    public LastVerify read(String dumpKey) throws StorageException {
        byte[] bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(dumpKey + SUFFIX)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw new StorageException("Reading " + dumpKey + SUFFIX + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StorageException("Reading " + dumpKey + SUFFIX + " failed: " + e.getMessage(), e);
        }
        return parse(bytes);
    }

    /** {@code null} for anything this version cannot read. */
    static LastVerify parse(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject() || n.path("verify-version").asInt(0) != 1) {
                return null;
            }
            String outcome = n.path("outcome").asText("");
            if (!outcome.equals("passed") && !outcome.equals("failed")) {
                return null;
            }
            return new LastVerify(outcome.equals("passed"), instant(n.path("finished")), text(n.path("summary")),
                    text(n.path("build")));
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n) {
        return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }

    private static Instant instant(JsonNode n) {
        try {
            return n.isTextual() ? Instant.parse(n.asText()) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
