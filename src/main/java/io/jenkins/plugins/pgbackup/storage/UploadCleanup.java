package io.jenkins.plugins.pgbackup.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * What the cleanup after a failed or stopped upload did and what it could not undo, in words that are true: "the
 * multipart upload was aborted; nothing was stored" only when S3 confirmed the abort (or nothing had been created),
 * otherwise the key and upload id that remain, and how they go away.
 */
public final class UploadCleanup {
    private final List<String> done;
    private final List<String> left;

    private UploadCleanup(List<String> done, List<String> left) {
        this.done = List.copyOf(done);
        this.left = List.copyOf(left);
    }

    /** Whether nothing remains on storage: no object, no manifest, no open multipart upload. */
    public boolean isClean() {
        return left.isEmpty();
    }

    /** What was done, in order: "the multipart upload was aborted", "the object was deleted"; may be empty. */
    public List<String> getDone() {
        return done;
    }

    /** What remains, each with how to remove it, in lower case; empty when {@link #isClean()}. */
    public List<String> getLeft() {
        return left;
    }

    /**
     * "the multipart upload was aborted; nothing was stored", "nothing was stored", or what was done and what remains:
     * "the multipart upload 2~abc of s3://b/k could not be aborted (…): …". Starts in lower case.
     */
    public String describe() {
        String actions = String.join(" and ", done);
        String outcome = isClean() ? "nothing was stored" : String.join("; ", left);
        return actions.isEmpty() ? outcome : actions + "; " + outcome;
    }

    @Override
    public String toString() {
        return describe();
    }

    static Builder builder() {
        return new Builder();
    }

    /** Collects the cleanup's steps as they happen. */
    static final class Builder {
        private final List<String> done = new ArrayList<>();
        private final List<String> left = new ArrayList<>();

        Builder done(String action) {
            done.add(action);
            return this;
        }

        Builder left(String sentence) {
            left.add(sentence);
            return this;
        }

        UploadCleanup build() {
            return new UploadCleanup(done, left);
        }
    }

    /** The sentence for an upload that could not be aborted: where it is and the three ways it goes away. */
    static String openUpload(String bucket, String key, String uploadId, String why) {
        return "the multipart upload " + uploadId + " of s3://" + bucket + "/" + key + " could not be aborted (" + why
                + "): its parts stay stored, and billed, until it is. " + wayOut(bucket, key, uploadId);
    }

    /** The sentence for an upload aborted while parts were still being sent, which may land afterwards. */
    static String partsStillSent(String bucket, String key, String uploadId) {
        return "the multipart upload " + uploadId + " of s3://" + bucket + "/" + key + " was aborted while parts were "
                + "still being sent, which had not ended when the cleanup's time ran out: should one land afterwards, "
                + "the upload stays open, its parts billed. " + wayOut(bucket, key, uploadId);
    }

    private static String wayOut(String bucket, String key, String uploadId) {
        return "Abort it with 'aws s3api abort-multipart-upload --bucket " + bucket + " --key " + key
                + " --upload-id " + uploadId + "', or let the next successful backup of this database abort it once "
                + "it is older than the grace period for leftovers; a lifecycle rule that aborts incomplete multipart "
                + "uploads removes such uploads in any case.";
    }
}
