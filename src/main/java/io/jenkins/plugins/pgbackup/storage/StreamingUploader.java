package io.jenkins.plugins.pgbackup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Streams a dump into one S3 object without a temporary file: the source is cut into fixed-size parts (R2 rejects
 * unequal non-final parts) that upload on a small pool while the next part is read, so reading and uploading overlap
 * and memory stays at {@code concurrency + 1} part buffers whatever the dump's size. The SHA-256 is computed as the
 * bytes are read. A source shorter than one part is sent with a single PutObject, unless the {@link UploadTarget}
 * makes every object a multipart upload. The target sends the requests: the agent's own S3 client, or presigned URLs
 * and the controller when the keys stay there.
 *
 * <p>Any failure — the source throws, a part fails after the SDK's retries, the thread is interrupted, the
 * {@link SourceCheck} refuses — stops the parts in flight, aborts the multipart upload and deletes an object or
 * manifest that may already exist. Those requests go out from a thread nobody interrupts, each with its own deadline
 * and retries, within {@link #CLEANUP_BUDGET}: an interrupted thread cannot send them itself. What the cleanup did and
 * could not undo ({@link UploadCleanup}) is in the exception's message and goes to the {@link Observer}.
 *
 * <p>S3 fixes an object's metadata when the multipart upload is created, so the object carries what is known at the
 * start ({@link BackupMetadata}: database, timestamp, versions, format, compression, who made it), and what is known
 * only at the end (size, SHA-256, the object's ETag, part count, duration) goes into a small {@link BackupManifest}
 * written last, next to the object ({@code docs/manifest.md}). Finishing therefore takes the same few requests
 * whatever the size: CompleteMultipartUpload, a HEAD that checks size and metadata (a mismatch deletes the object),
 * and one PutObject of about 1 KB; nothing is copied. Until the manifest exists the object is not a backup to the
 * catalog, to "latest" or to retention's rules; if writing the manifest fails the object is deleted, and a crash
 * before it leaves an object without manifest that retention removes after a grace period.
 */
public final class StreamingUploader {
    private static final Logger LOGGER = Logger.getLogger(StreamingUploader.class.getName());

    static final int MIB = 1024 * 1024;
    /** S3's minimum for every part but the last. */
    public static final int MIN_PART_SIZE = 5 * MIB;
    /** 16 MiB parts: 10,000 of them cover 160 GiB. */
    public static final int DEFAULT_PART_SIZE = 16 * MIB;
    /** Parts live in memory; 10,000 parts of 1 GiB cover 10 TiB. */
    public static final int MAX_PART_SIZE = 1024 * MIB;
    /** S3's and R2's limit of parts per upload. */
    public static final int MAX_PARTS = 10_000;
    /** Parts uploading at once while the next one is read. */
    public static final int DEFAULT_CONCURRENCY = 2;
    public static final String CONTENT_TYPE = "application/octet-stream";
    /** How long a cleanup waits for the parts in flight before it aborts anyway (and once more when they end). */
    static final Duration PARTS_WAIT = Duration.ofSeconds(20);
    /** The most a failed or stopped upload spends cleaning up before {@link #upload} throws. */
    public static final Duration CLEANUP_BUDGET = CleanupRequests.BUDGET;

    private final UploadTarget target;
    private final String bucket;
    private final int partSize;
    private final int concurrency;
    private final Observer observer;

    /** An uploader with 16 MiB parts and two parts in flight that sends with this client. */
    public StreamingUploader(S3Client s3, String bucket) {
        this(UploadTarget.of(s3, bucket));
    }

    /** An uploader with 16 MiB parts and two parts in flight that sends through {@code target}. */
    public StreamingUploader(UploadTarget target) {
        this(target, DEFAULT_PART_SIZE, DEFAULT_CONCURRENCY, Observer.NONE);
    }

    private StreamingUploader(UploadTarget target, int partSize, int concurrency, Observer observer) {
        this.target = Objects.requireNonNull(target, "target");
        this.bucket = target.bucket();
        this.partSize = partSize;
        this.concurrency = concurrency;
        this.observer = observer;
    }

    /**
     * Sizes parts so that 10,000 of them hold a dump of this many bytes (never below 16 MiB).
     *
     * @throws IllegalArgumentException above 10 TiB
     */
    public StreamingUploader withExpectedMaxSize(long bytes) {
        return withPartSize(partSizeFor(bytes));
    }

    /**
     * Uploads up to this many parts at once while the next is read; memory is {@code (parts + 1) × part size}.
     */
    public StreamingUploader withConcurrency(int parts) {
        if (parts < 1 || parts > 16) {
            throw new IllegalArgumentException("Upload concurrency must be between 1 and 16, not " + parts);
        }
        return new StreamingUploader(target, partSize, parts, observer);
    }

    /** Exact part size, at least 5 MiB; tests use the minimum to get many parts from little data. */
    public StreamingUploader withPartSize(int bytes) {
        if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
            throw new IllegalArgumentException("Part size must be between 5 MiB and 1 GiB, not " + bytes);
        }
        return new StreamingUploader(target, bytes, concurrency, observer);
    }

    /** An uploader that reports to {@code o}; the engine follows its uploads with one, tests stop them with one. */
    public StreamingUploader withObserver(Observer o) {
        return new StreamingUploader(target, partSize, concurrency, o);
    }

    /** The part size that lets 10,000 parts hold {@code expectedMaxSize} bytes: 16 MiB or more, whole MiB. */
    public static int partSizeFor(long expectedMaxSize) {
        long needed = (expectedMaxSize + MAX_PARTS - 1) / MAX_PARTS;
        long mib = (needed + MIB - 1) / MIB * MIB;
        if (mib > MAX_PART_SIZE) {
            throw new IllegalArgumentException("Backups up to " + expectedMaxSize + " bytes would need parts of "
                    + (mib / MIB) + " MiB; the limit is " + (MAX_PART_SIZE / MIB) + " MiB (10 TiB in all)");
        }
        return (int) Math.max(DEFAULT_PART_SIZE, mib);
    }

    public int getPartSize() {
        return partSize;
    }

    public int getConcurrency() {
        return concurrency;
    }

    /** The most part buffers an upload holds at once: one being read plus {@link #getConcurrency()} uploading. */
    public int maxBuffers() {
        return concurrency + 1;
    }

    /** Uploads without a {@link SourceCheck}. */
    public UploadResult upload(InputStream source, String key, BackupMetadata metadata, LongConsumer progress)
            throws IOException, InterruptedException {
        return upload(source, key, metadata, progress, SourceCheck.NONE);
    }

    /**
     * Reads {@code source} to its end, stores it at {@code key} with the metadata, and then writes its manifest at
     * {@link BackupKeys#manifestKey(String)}. Refuses to overwrite an existing object. Returns only once the manifest
     * is written: the backup is complete.
     *
     * @param progress gets the number of bytes read so far after every read; called on this thread
     * @param check called once the source has ended and before the object becomes visible, for example to wait for
     *     pg_dump's exit status; if it throws, the upload is aborted
     * @throws StorageException if storage fails, saying what the cleanup did and left (nothing, unless storage also
     *     refused the cleanup)
     * @throws IOException what the source or the check threw, cleaned up the same way; what the cleanup could not
     *     undo is a suppressed exception
     * @throws InterruptedException if interrupted, saying what the cleanup did and left
     */
    public UploadResult upload(InputStream source, String key, BackupMetadata metadata, LongConsumer progress,
            SourceCheck check) throws IOException, InterruptedException {
        if (!BackupMetadata.CREATED_BY_VALUE.equals(metadata.getCreatedBy())) {
            throw new IllegalArgumentException("Backup metadata must come from BackupMetadata.builder");
        }
        target.requireAbsent(key);
        try (Upload upload = new Upload(key, metadata.withoutContent(), progress, check)) {
            return upload.run(source);
        }
    }

    /**
     * Decides, once the source has ended, whether what was read may become a backup. The backup waits here for
     * pg_dump's exit status: a killed pg_dump also ends its output, and that must not become an object.
     */
    @FunctionalInterface
    public interface SourceCheck {
        SourceCheck NONE = bytes -> {};

        /**
         * @param bytes how many bytes the source gave
         * @throws IOException to abort the upload, with the message to report
         */
        void sourceEnded(long bytes) throws IOException, InterruptedException;
    }

    /**
     * Follows one upload, on the uploading thread: its checkpoints, where tests look at the upload or stop it, and
     * what the cleanup after a failure or a stop left, which the engine reports. Must not throw.
     */
    public interface Observer {
        Observer NONE = new Observer() {};

        /** The multipart upload exists on storage; no part has been sent yet. */
        default void uploadCreated(String key, String uploadId) {}

        /** A part is read and handed to the pool; {@code buffersInUse} counts this one. */
        default void partReady(int partNumber, int size, int buffersInUse) {}

        /** The source has ended and the {@link SourceCheck} passed: nothing more is read; the object is made next. */
        default void sourceEnded(long bytes) {}

        /** All parts are uploaded; CompleteMultipartUpload comes next. */
        default void beforeComplete(String uploadId) {}

        /** The object exists (CompleteMultipartUpload or PutObject answered), without manifest; it is checked next. */
        default void afterComplete(String key) {}

        /** The object is complete and checked; its manifest is written next. */
        default void beforeManifest(BackupManifest manifest) {}

        /** The manifest is written: the object is a backup, and {@link #upload} returns it. */
        default void stored(UploadResult result) {}

        /** The upload failed or was stopped and its cleanup is over; {@link #upload} throws next. */
        default void cleanedUp(String key, UploadCleanup cleanup) {}
    }

    /** The state of one upload. */
    private final class Upload implements AutoCloseable {
        private final String key;
        private final BackupMetadata metadata;
        private final LongConsumer progress;
        private final SourceCheck check;
        private final MessageDigest sha256 = newSha256();
        private final BufferPool pool = new BufferPool(partSize, concurrency + 1);
        private final List<Future<UploadedPart>> parts = new ArrayList<>();
        private final AtomicReference<Throwable> partFailure = new AtomicReference<>();
        private final AtomicInteger threadCount = new AtomicInteger();
        private final ExecutorService executor;
        private final Instant started = Instant.now();
        private long total;
        private long sourceEnded;
        private String contentSha256;
        private String uploadId;
        /** A CreateMultipartUpload went out and its answer never came: an upload may exist whose id is unknown. */
        private boolean createAnswerLost;
        /** CompleteMultipartUpload or PutObject went out: the object may exist. */
        private boolean objectMayExist;
        /** It answered: the object exists. */
        private boolean objectExists;
        private boolean manifestMayExist;

        Upload(String key, BackupMetadata metadata, LongConsumer progress, SourceCheck check) {
            this.key = key;
            this.metadata = metadata;
            this.progress = progress;
            this.check = check;
            this.executor = Executors.newFixedThreadPool(concurrency, r -> {
                Thread t = new Thread(r, "pgbackup-upload-" + threadCount.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        /** Stores the source, or cleans up whatever the attempt left and throws. */
        UploadResult run(InputStream source) throws IOException, InterruptedException {
            UploadResult result;
            try {
                result = store(source);
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                UploadCleanup cleanup = cleanUp();
                observer.cleanedUp(key, cleanup);
                throw failure(e, cleanup);
            }
            observer.stored(result);
            return result;
        }

        private UploadResult store(InputStream source) throws IOException, InterruptedException {
            byte[] first = pool.take(partFailure);
            int n = fill(source, first);
            int partCount;
            if (n < partSize && target.putsSmallObjects()) {
                putSingle(first, n);
                partCount = 1;
            } else {
                uploadParts(source, first, n);
                partCount = parts.size();
            }
            observer.afterComplete(key);
            String eTag = verify();
            BackupManifest manifest = BackupManifest.builder(key, metadata, total, sha256(), eTag)
                    .parts(partCount, partSize).upload(started, Instant.now()).build();
            observer.beforeManifest(manifest);
            manifestMayExist = true;
            String manifestKey = target.writeManifest(manifest);
            long finishMillis = (System.nanoTime() - sourceEnded) / 1_000_000;
            LOGGER.log(Level.FINE, "Uploaded s3://{0}/{1}: {2} bytes in {3} parts, finished {4} ms after the source "
                    + "ended", new Object[] {bucket, key, total, partCount, finishMillis});
            return new UploadResult(bucket, key, total, manifest.getSha256(), eTag, partCount, manifestKey,
                    manifest.getDurationMillis(), finishMillis);
        }

        /** The content's SHA-256, once the source has ended. */
        private String sha256() {
            if (contentSha256 == null) {
                contentSha256 = hex(sha256.digest());
            }
            return contentSha256;
        }

        private void putSingle(byte[] buffer, int n) throws IOException, InterruptedException {
            check.sourceEnded(total);
            observer.sourceEnded(total);
            try {
                objectMayExist = true;
                target.putObject(key, metadata, buffer, n);
                objectExists = true;
            } finally {
                pool.give(buffer);
            }
        }

        /** Uploads every part and completes the upload; {@code first} holds {@code n} bytes, less at the end. */
        private void uploadParts(InputStream source, byte[] first, int n) throws IOException, InterruptedException {
            createUpload();
            observer.uploadCreated(key, uploadId);
            submit(1, first, n);
            if (n == partSize) {
                readRemainingParts(source);
            }
            List<UploadedPart> completed = awaitParts();
            check.sourceEnded(total);
            observer.sourceEnded(total);
            observer.beforeComplete(uploadId);
            // Should the answer get lost, the server may have completed the upload; the key was free before.
            objectMayExist = true;
            target.complete(key, uploadId, completed);
            objectExists = true;
        }

        private void createUpload() throws IOException {
            try {
                uploadId = target.createUpload(key, metadata);
            } catch (IOException | RuntimeException e) {
                // A refusal from the server created nothing; an interruption or a lost answer may have.
                createAnswerLost = !(e instanceof StorageException);
                throw e;
            }
        }

        private void readRemainingParts(InputStream source) throws IOException, InterruptedException {
            for (int partNumber = 2;; partNumber++) {
                byte[] buffer = pool.take(partFailure);
                if (buffer == null) {
                    Throwable c = partFailure.get();
                    throw new StorageException(describe(c), c);
                }
                int n = fill(source, buffer);
                if (n == 0) {
                    pool.give(buffer);
                    return;
                }
                if (partNumber > MAX_PARTS) {
                    pool.give(buffer);
                    throw new StorageException("The backup is larger than " + MAX_PARTS + " parts of "
                            + (partSize / MIB) + " MiB; set the expected maximum size so parts get larger");
                }
                submit(partNumber, buffer, n);
                if (n < partSize) {
                    return;
                }
            }
        }

        /** Reads until the buffer is full or the source ends; hashes and reports progress on the way. */
        private int fill(InputStream source, byte[] buffer) throws IOException, InterruptedException {
            int n = 0;
            while (n < buffer.length) {
                int r = source.read(buffer, n, buffer.length - n);
                if (r < 0) {
                    sourceEnded = System.nanoTime();
                    break;
                }
                sha256.update(buffer, n, r);
                n += r;
                total += r;
                progress.accept(total);
                if (Thread.interrupted()) {
                    throw new InterruptedException("Upload of " + key + " interrupted");
                }
            }
            return n;
        }

        private void submit(int partNumber, byte[] buffer, int n) {
            observer.partReady(partNumber, n, pool.inUse());
            parts.add(executor.submit(() -> {
                try {
                    return new UploadedPart(partNumber, target.uploadPart(key, uploadId, partNumber, buffer, n));
                } catch (IOException | InterruptedException | RuntimeException e) {
                    partFailure.compareAndSet(null, e);
                    throw e;
                } finally {
                    pool.give(buffer);
                }
            }));
        }

        private List<UploadedPart> awaitParts() throws IOException, InterruptedException {
            List<UploadedPart> completed = new ArrayList<>();
            for (Future<UploadedPart> f : parts) {
                completed.add(getPart(f));
            }
            return completed;
        }

        /** Checks what the server now holds (size, metadata) and returns its ETag. */
        private String verify() throws IOException {
            ObjectHead head = target.head(key);
            BackupMetadata stored = BackupMetadata.fromUserMetadata(head.metadata());
            String problem = head.size() != total
                    ? "holds " + head.size() + " bytes, not the " + total + " uploaded"
                    : stored.equals(metadata) ? null : "has metadata " + stored + ", not " + metadata;
            if (problem != null) {
                throw new Refused("The uploaded object s3://" + bucket + "/" + key + " " + problem);
            }
            return head.eTag();
        }

        /**
         * Undoes what the failed or stopped upload left, whatever state the uploading thread is in: the parts in
         * flight are stopped first, so that none lands after the abort (one that lands anyway is followed by a
         * second abort); then the upload is aborted and an object or manifest that may exist is deleted, each
         * request from the cleanup thread ({@link CleanupRequests}).
         */
        private UploadCleanup cleanUp() {
            UploadCleanup.Builder c = UploadCleanup.builder();
            try (CleanupRequests requests = new CleanupRequests(key)) {
                boolean partsStopped = stopParts(min(PARTS_WAIT, requests.remaining()));
                if (uploadId != null) {
                    abortUpload(requests, uploadId, partsStopped, c);
                } else if (createAnswerLost) {
                    abortUnknownUploads(requests, c);
                }
                if (manifestMayExist) {
                    String manifestKey = BackupKeys.manifestKey(key);
                    String why = delete(requests, manifestKey);
                    if (why != null) {
                        c.left("the manifest s3://" + bucket + "/" + manifestKey + " may have been written and could "
                                + "not be deleted (" + why + "): delete it by hand.");
                    }
                }
                if (objectMayExist) {
                    String why = delete(requests, key);
                    if (why == null) {
                        if (objectExists) {
                            c.done("the object was deleted");
                        } // else whether it had been stored is unknown, and either way it is not now
                    } else {
                        c.left("s3://" + bucket + "/" + key + " could not be deleted (" + why + "). Without its "
                                + "manifest it is no backup; delete it by hand, or let the next successful backup of "
                                + "this database delete it once it is older than the grace period for leftovers.");
                    }
                }
            }
            return c.build();
        }

        private void abortUpload(CleanupRequests requests, String id, boolean partsStopped, UploadCleanup.Builder c) {
            AtomicBoolean gone = new AtomicBoolean();
            String why = abort(requests, id, gone);
            if (why == null && !partsStopped) {
                // A part that was still being sent may land after the abort: abort again once it ended.
                if (!awaitParts(requests.remaining())) {
                    c.left(UploadCleanup.partsStillSent(bucket, key, id));
                    return;
                }
                why = abort(requests, id, new AtomicBoolean());
            }
            if (why != null) {
                c.left(UploadCleanup.openUpload(bucket, key, id, why));
            } else if (!gone.get() || !objectMayExist) {
                c.done("the multipart upload was aborted");
            }
        }

        /** Aborts; {@code gone} tells that S3 knew no such upload any more (aborted, or completed). */
        private String abort(CleanupRequests requests, String id, AtomicBoolean gone) {
            return requests.send("Aborting the multipart upload " + id + " of " + key,
                    timeout -> gone.set(!target.abort(key, id, timeout)));
        }

        /** The create request's answer was lost: the uploads of this key (it was free when the backup began). */
        private void abortUnknownUploads(CleanupRequests requests, UploadCleanup.Builder c) {
            List<String> ids = new ArrayList<>();
            String why = requests.send("Listing the multipart uploads of " + key, timeout -> {
                ids.clear();
                ids.addAll(target.openUploads(key, timeout));
            });
            if (why != null) {
                c.left("whether a multipart upload of s3://" + bucket + "/" + key + " was started is unknown (listing "
                        + "the uploads failed: " + why + "). See 'aws s3api list-multipart-uploads --bucket " + bucket
                        + " --prefix " + key + "'; the next successful backup of this database aborts it once it is "
                        + "older than the grace period for leftovers, and a lifecycle rule that aborts incomplete "
                        + "multipart uploads in any case.");
                return;
            }
            for (String id : ids) {
                abortUpload(requests, id, true, c);
            }
        }

        private String delete(CleanupRequests requests, String object) {
            return requests.send("Deleting " + object, timeout -> target.delete(object, timeout));
        }

        /** Cancels the parts in flight and waits for them, up to {@code max} and deaf to interruptions. */
        private boolean stopParts(Duration max) {
            parts.forEach(f -> f.cancel(true));
            executor.shutdownNow();
            return awaitParts(max);
        }

        /** Whether every part request has ended; a part blocked in a socket write only ends with its timeout. */
        private boolean awaitParts(Duration max) {
            boolean interrupted = false;
            long deadline = System.nanoTime() + max.toNanos();
            try {
                while (true) {
                    try {
                        return executor.awaitTermination(Math.max(0, deadline - System.nanoTime()),
                                TimeUnit.NANOSECONDS);
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

        /**
         * What to throw after cleaning up: an interruption as an {@link InterruptedException} that says what the
         * cleanup did, the source's or the check's own exception unchanged (the caller reports it; what the cleanup
         * could not undo is added to it), storage failures with what was cleaned up.
         */
        private StorageException failure(Throwable e, UploadCleanup cleanup) throws IOException, InterruptedException {
            if (e instanceof Error err) {
                throw err;
            }
            if (e instanceof InterruptedException || isInterruption(e) || Thread.interrupted()) {
                Thread.interrupted();
                InterruptedException stopped = new InterruptedException("The upload of s3://" + bucket + "/" + key
                        + " was stopped; " + cleanup.describe());
                stopped.initCause(e);
                throw stopped;
            }
            if (e instanceof IOException io && !(io instanceof StorageException)) {
                if (!cleanup.isClean()) {
                    io.addSuppressed(new StorageException(cleanup.describe()));
                }
                throw io;
            }
            if (e instanceof Refused r) {
                return new StorageException(r.getMessage() + "; " + cleanup.describe(), r);
            }
            return new StorageException(context() + ": " + describe(e) + "; " + cleanup.describe(), e);
        }

        private String context() {
            if (manifestMayExist) {
                return "Writing the manifest of s3://" + bucket + "/" + key + " failed";
            }
            if (objectExists) {
                return "Checking s3://" + bucket + "/" + key + " after the upload failed";
            }
            return "Uploading s3://" + bucket + "/" + key + " failed after " + total + " bytes";
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    /** The server holds something else than was sent; the message says what. */
    private static final class Refused extends StorageException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * An interruption, however it surfaced: an {@link InterruptedException}, a plain {@link InterruptedIOException}
     * (not a timeout, its subclass), or the SDK's refusal to send from an interrupted thread.
     */
    static boolean isInterruption(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException || c instanceof AbortedException
                    || c.getClass() == InterruptedIOException.class) {
                return true;
            }
        }
        return false;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static UploadedPart getPart(Future<UploadedPart> f) throws StorageException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new StorageException(describe(c), c);
        }
    }

    /** What storage answered: the SDK's summary, a storage message as it is, anything else with its type. */
    private static String describe(Throwable t) {
        if (t instanceof SdkException s) {
            return S3Errors.describe(s);
        }
        return t instanceof StorageException ? t.getMessage() : String.valueOf(t);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Part buffers, allocated on demand up to a fixed number and reused. */
    static final class BufferPool {
        private final int size;
        private final int max;
        private final BlockingQueue<byte[]> free;
        private final AtomicInteger inUse = new AtomicInteger();
        private int allocated;

        BufferPool(int size, int max) {
            this.size = size;
            this.max = max;
            this.free = new ArrayBlockingQueue<>(max);
        }

        /** A free buffer, waiting for one if all are in use; {@code null} once {@code failure} is set. */
        byte[] take(AtomicReference<Throwable> failure) throws InterruptedException {
            byte[] b = free.poll();
            if (b == null && allocated < max) {
                allocated++;
                b = new byte[size];
            }
            while (b == null) {
                if (failure.get() != null) {
                    return null;
                }
                b = free.poll(100, TimeUnit.MILLISECONDS);
            }
            inUse.incrementAndGet();
            return b;
        }

        void give(byte[] buffer) {
            inUse.decrementAndGet();
            if (!free.offer(buffer)) {
                throw new IllegalStateException("More part buffers returned than taken");
            }
        }

        int inUse() {
            return inUse.get();
        }

        int allocated() {
            return allocated;
        }
    }
}
