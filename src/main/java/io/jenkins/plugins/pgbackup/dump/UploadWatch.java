package io.jenkins.plugins.pgbackup.dump;

import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
import io.jenkins.plugins.pgbackup.storage.UploadCleanup;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows one upload of a backup (the dump, or its globals) for the line that says what a stop or a failure left:
 * whether the object was stored, and what the upload's cleanup did and could not undo. The upload often runs on the
 * thread that reads pg_dump's output, which the process runner stops only briefly after an interruption, so before
 * the engine reports (and closes the S3 client) it waits here for that cleanup to be over.
 */
final class UploadWatch implements StreamingUploader.Observer {
    /** The longest the engine waits for an upload's cleanup: the uploader's own budget and a margin. */
    static final Duration MAX_WAIT = StreamingUploader.CLEANUP_BUDGET.plusSeconds(15);

    private final String location;
    private final StreamingUploader.Observer next;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean started;
    private volatile String uploadId;
    private volatile boolean sourceEnded;
    private volatile boolean objectExists;
    private volatile String storedAt;
    private volatile UploadCleanup cleanup;

    /** @param next also told of every event (the engine's test seam) */
    UploadWatch(String bucket, String key, StreamingUploader.Observer next) {
        this.location = "s3://" + bucket + "/" + key;
        this.next = next;
    }

    /** The upload begins on the calling thread; {@link #ended()} must follow. */
    void started() {
        started = true;
    }

    /** The upload returned or threw: stored, or cleaned up as far as it could. */
    void ended() {
        ended.countDown();
    }

    /**
     * Waits until the upload has ended, at most {@link #MAX_WAIT}, without giving in to interruptions (restored
     * afterwards): the report of a stop must wait for the cleanup it reports.
     */
    void awaitEnd() {
        if (!started) {
            return;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        try {
            while (true) {
                try {
                    ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the tool's output had ended (and the tool exited with 0): it was not running any more. */
    boolean sourceEnded() {
        return sourceEnded;
    }

    /** Where the object was stored with its manifest, or {@code null}. */
    String storedAt() {
        return storedAt;
    }

    /** Adds what the cleanup did (or nothing) and what remains on storage, as things stand. */
    void describe(List<String> done, List<String> remains) {
        UploadCleanup c = cleanup;
        if (c != null) {
            done.addAll(c.getDone());
            remains.addAll(c.getLeft());
        } else if (objectExists) {
            remains.add(location + " had no manifest yet and was still being deleted when this was written: should "
                    + "that fail, it is no backup, and the next successful backup of this database deletes it once it "
                    + "is older than the grace period for leftovers.");
        } else if (uploadId != null) {
            remains.add("the multipart upload " + uploadId + " of " + location + " was still being aborted when this "
                    + "was written: should that fail, it stays open until the next successful backup of this database "
                    + "aborts it once it is older than the grace period for leftovers, or a lifecycle rule for "
                    + "incomplete multipart uploads removes it.");
        }
    }

    /** "nothing was stored", or what remains. */
    String nothingStored() {
        List<String> remains = new ArrayList<>();
        describe(new ArrayList<>(), remains);
        return remains.isEmpty() ? "nothing was stored" : "no backup was stored; " + String.join("; ", remains);
    }

    @Override
    public void uploadCreated(String key, String id) {
        uploadId = id;
        next.uploadCreated(key, id);
    }

    @Override
    public void partReady(int partNumber, int size, int buffersInUse) {
        next.partReady(partNumber, size, buffersInUse);
    }

    @Override
    public void sourceEnded(long bytes) {
        sourceEnded = true;
        next.sourceEnded(bytes);
    }

    @Override
    public void beforeComplete(String id) {
        next.beforeComplete(id);
    }

    @Override
    public void afterComplete(String key) {
        objectExists = true;
        next.afterComplete(key);
    }

    @Override
    public void beforeManifest(BackupManifest manifest) {
        next.beforeManifest(manifest);
    }

    @Override
    public void stored(UploadResult result) {
        storedAt = "s3://" + result.getBucket() + "/" + result.getKey();
        next.stored(result);
    }

    @Override
    public void cleanedUp(String key, UploadCleanup c) {
        cleanup = c;
        next.cleanedUp(key, c);
    }
}
