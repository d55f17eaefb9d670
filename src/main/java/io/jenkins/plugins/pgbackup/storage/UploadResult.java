package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;
import java.io.Serializable;

/**
 * What {@link StreamingUploader} stored, verified by a HEAD request afterwards. Only the uploader creates one, so
 * holding one means the backup object exists and is complete; {@link io.jenkins.plugins.pgbackup.retention.Pruner}
 * requires it for that reason.
 */
public final class UploadResult implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String bucket;
    private final String key;
    private final long size;
    private final String sha256;
    private final String eTag;
    private final int parts;
    private final String manifestKey;
    private final long durationMillis;
    private final long finishMillis;

    @SuppressWarnings("checkstyle:ParameterNumber")
    UploadResult(String bucket, String key, long size, String sha256, String eTag, int parts, String manifestKey,
            long durationMillis, long finishMillis) {
        this.bucket = bucket;
        this.key = key;
        this.size = size;
        this.sha256 = sha256;
        this.eTag = eTag;
        this.parts = parts;
        this.manifestKey = manifestKey;
        this.durationMillis = durationMillis;
        this.finishMillis = finishMillis;
    }

    public String getBucket() {
        return bucket;
    }

    public String getKey() {
        return key;
    }

    /** Bytes stored, as read from the source. */
    public long getSize() {
        return size;
    }

    /** SHA-256 of the content, lower-case hex; also in the manifest. */
    public String getSha256() {
        return sha256;
    }

    /** The ETag of the stored object. */
    public String getETag() {
        return eTag;
    }

    /** How many parts the multipart upload had; 1 for a single PutObject. */
    public int getParts() {
        return parts;
    }

    /** The key of the manifest written for it. */
    public String getManifestKey() {
        return manifestKey;
    }

    /** From the start of the upload to the manifest written. */
    public long getDurationMillis() {
        return durationMillis;
    }

    /**
     * From the end of the source (for a dump: pg_dump has exited) to the manifest written: the last parts,
     * CompleteMultipartUpload, the HEAD check and the manifest. Independent of the size but for the last parts.
     */
    public long getFinishMillis() {
        return finishMillis;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key + " (" + size + " bytes in " + parts + " part" + (parts == 1 ? "" : "s")
                + ", sha256 " + sha256 + ")";
    }
}
