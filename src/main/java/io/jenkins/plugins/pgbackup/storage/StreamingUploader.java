package io.jenkins.plugins.pgbackup.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Streams a dump into one S3 object without a temporary file: the source is cut into fixed-size parts (R2 rejects
 * unequal non-final parts) that upload on a small pool while the next part is read, so reading and uploading overlap
 * and memory stays at {@code concurrency + 1} part buffers whatever the dump's size. The SHA-256 is computed as the
 * bytes are read. A source shorter than one part is sent with a single PutObject.
 *
 * <p>Any failure — the source throws, a part fails after the SDK's retries, the thread is interrupted, the
 * {@link SourceCheck} refuses — aborts the multipart upload: no object and no open upload remain.
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
    static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final int concurrency;
    private final Observer observer;
    private final ManifestStore manifests;

    /** An uploader with 16 MiB parts and two parts in flight. */
    public StreamingUploader(S3Client s3, String bucket) {
        this(s3, bucket, DEFAULT_PART_SIZE, DEFAULT_CONCURRENCY, Observer.NONE);
    }

    private StreamingUploader(S3Client s3, String bucket, int partSize, int concurrency, Observer observer) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.partSize = partSize;
        this.concurrency = concurrency;
        this.observer = observer;
        this.manifests = new ManifestStore(s3, bucket);
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
        return new StreamingUploader(s3, bucket, partSize, parts, observer);
    }

    /** Exact part size, at least 5 MiB; tests use the minimum to get many parts from little data. */
    StreamingUploader withPartSize(int bytes) {
        if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
            throw new IllegalArgumentException("Part size must be between 5 MiB and 1 GiB, not " + bytes);
        }
        return new StreamingUploader(s3, bucket, bytes, concurrency, observer);
    }

    StreamingUploader withObserver(Observer o) {
        return new StreamingUploader(s3, bucket, partSize, concurrency, o);
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
     * @throws StorageException if storage fails; nothing is left behind (neither object nor manifest)
     * @throws IOException what the source or the check threw; nothing is left behind
     * @throws InterruptedException if interrupted; nothing is left behind
     */
    public UploadResult upload(InputStream source, String key, BackupMetadata metadata, LongConsumer progress,
            SourceCheck check) throws IOException, InterruptedException {
        if (!BackupMetadata.CREATED_BY_VALUE.equals(metadata.getCreatedBy())) {
            throw new IllegalArgumentException("Backup metadata must come from BackupMetadata.builder");
        }
        requireAbsent(key);
        try (Upload upload = new Upload(key, metadata.withoutContent(), progress, check)) {
            return upload.run(source);
        }
    }

    private void requireAbsent(String key) throws StorageException {
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

    /** Lets tests watch buffers and parts, and inspect the upload before it completes. */
    interface Observer {
        Observer NONE = new Observer() {};

        /** A part is read and handed to the pool; {@code buffersInUse} counts this one. */
        default void partReady(int partNumber, int size, int buffersInUse) {}

        /** All parts are uploaded; CompleteMultipartUpload comes next. */
        default void beforeComplete(String uploadId) {}

        /** The object is complete and checked; its manifest is written next. */
        default void beforeManifest(BackupManifest manifest) {}
    }

    /** The state of one upload. */
    private final class Upload implements AutoCloseable {
        private final String key;
        private final BackupMetadata metadata;
        private final LongConsumer progress;
        private final SourceCheck check;
        private final MessageDigest sha256 = newSha256();
        private final BufferPool pool = new BufferPool(partSize, concurrency + 1);
        private final List<Future<CompletedPart>> parts = new ArrayList<>();
        private final AtomicReference<Throwable> partFailure = new AtomicReference<>();
        private final AtomicInteger threadCount = new AtomicInteger();
        private final ExecutorService executor;
        private final Instant started = Instant.now();
        private long total;
        private long sourceEnded;
        private String contentSha256;
        private String uploadId;
        private boolean completing;

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

        UploadResult run(InputStream source) throws IOException, InterruptedException {
            byte[] first = pool.take(partFailure);
            int n = fill(source, first);
            int partCount;
            if (n < partSize) {
                putSingle(first, n);
                partCount = 1;
            } else {
                uploadParts(source, first);
                partCount = parts.size();
            }
            String eTag = verify();
            BackupManifest manifest = BackupManifest.builder(key, metadata, total, sha256(), eTag)
                    .parts(partCount, partSize).upload(started, Instant.now()).build();
            observer.beforeManifest(manifest);
            String manifestKey = writeManifest(manifest);
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
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE).contentLength((long) n)
                        .metadata(metadata.toUserMetadata()), body(buffer, n));
            } catch (SdkException e) {
                throw new StorageException("Uploading s3://" + bucket + "/" + key + " failed: "
                        + S3Errors.describe(e), e);
            } finally {
                pool.give(buffer);
            }
        }

        /**
         * Writes the manifest that makes the object a backup. If that fails, the manifest (should it have landed
         * after all) and then the object are deleted: a backup without its manifest is none.
         */
        private String writeManifest(BackupManifest manifest) throws IOException, InterruptedException {
            try {
                return manifests.write(manifest);
            } catch (StorageException | RuntimeException e) {
                deleteAfterFailure(BackupKeys.manifestKey(key), e);
                deleteAfterFailure(key, e);
                throw failure(e, "Writing the manifest of s3://" + bucket + "/" + key + " failed; the object was "
                        + "deleted");
            }
        }

        /** Uploads every part and completes the upload, or aborts it and throws. */
        private void uploadParts(InputStream source, byte[] first) throws IOException, InterruptedException {
            try {
                uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                        .metadata(metadata.toUserMetadata())).uploadId();
                submit(1, first, partSize);
                readRemainingParts(source);
                List<CompletedPart> completed = awaitParts();
                check.sourceEnded(total);
                observer.beforeComplete(uploadId);
                completing = true;
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(completed)));
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                abort(e);
                if (completing) {
                    // The server may have completed the upload and only the answer got lost; the key was free before.
                    deleteAfterFailure(key, e);
                }
                throw failure(e, "Uploading s3://" + bucket + "/" + key + " failed after " + total
                        + " bytes; the multipart upload was aborted");
            }
        }

        private void readRemainingParts(InputStream source) throws IOException, InterruptedException {
            for (int partNumber = 2;; partNumber++) {
                byte[] buffer = pool.take(partFailure);
                if (buffer == null) {
                    Throwable c = partFailure.get();
                    throw new StorageException(c instanceof SdkException e ? S3Errors.describe(e) : c.toString(), c);
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
                    String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(partNumber).contentLength((long) n), body(buffer, n)).eTag();
                    return CompletedPart.builder().partNumber(partNumber).eTag(eTag).build();
                } catch (RuntimeException e) {
                    partFailure.compareAndSet(null, e);
                    throw e;
                } finally {
                    pool.give(buffer);
                }
            }));
        }

        private List<CompletedPart> awaitParts() throws IOException, InterruptedException {
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                completed.add(getPart(f));
            }
            return completed;
        }

        /** Checks what the server now holds (size, metadata) and returns its ETag; a mismatch deletes the object. */
        private String verify() throws StorageException {
            HeadObjectResponse head;
            try {
                head = s3.headObject(b -> b.bucket(bucket).key(key));
            } catch (SdkException e) {
                StorageException failure = new StorageException("Checking s3://" + bucket + "/" + key + " after the "
                        + "upload failed: " + S3Errors.describe(e) + "; the object was deleted", e);
                deleteAfterFailure(key, failure);
                throw failure;
            }
            BackupMetadata stored = BackupMetadata.fromUserMetadata(head.metadata());
            String problem = head.contentLength() != total
                    ? "holds " + head.contentLength() + " bytes, not the " + total + " uploaded"
                    : stored.equals(metadata) ? null : "has metadata " + stored + ", not " + metadata;
            if (problem != null) {
                StorageException e = new StorageException("The uploaded object s3://" + bucket + "/" + key + " "
                        + problem + "; it was deleted");
                deleteAfterFailure(key, e);
                throw e;
            }
            return head.eTag();
        }

        /** Stops the parts in flight, then aborts; a failure to abort is added to {@code cause}. */
        private void abort(Throwable cause) {
            boolean interrupted = Thread.interrupted();
            try {
                parts.forEach(f -> f.cancel(true));
                shutdownAndWait();
                if (uploadId != null) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                }
            } catch (SdkException e) {
                if (!S3Errors.isNotFound(e)) {
                    cause.addSuppressed(new StorageException("Could not abort the multipart upload " + uploadId
                            + " of s3://" + bucket + "/" + key + "; its parts stay billed until it is aborted or a "
                            + "lifecycle rule removes incomplete uploads: " + S3Errors.describe(e), e));
                }
            } catch (InterruptedException e) {
                cause.addSuppressed(e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void deleteAfterFailure(String target, Throwable cause) {
            boolean interrupted = Thread.interrupted();
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(target));
            } catch (SdkException e) {
                cause.addSuppressed(new StorageException("Could not delete s3://" + bucket + "/" + target
                        + "; delete it by hand: " + S3Errors.describe(e), e));
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void shutdownAndWait() throws InterruptedException {
            executor.shutdownNow();
            // A part request blocked in a socket write only ends with the socket timeout; none may land after abort.
            if (!executor.awaitTermination(S3Clients.SOCKET_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
                LOGGER.warning("Parts of " + key + " were still uploading when the upload was aborted");
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    private static CompletedPart getPart(Future<CompletedPart> f) throws StorageException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new StorageException(c instanceof SdkException s ? S3Errors.describe(s) : String.valueOf(c), c);
        }
    }

    private static RequestBody body(byte[] buffer, int n) {
        // Each attempt reads the buffer afresh, so the SDK can retry a part without copying it.
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, n), n, CONTENT_TYPE);
    }

    /**
     * What to throw after cleaning up: the source's or the check's own exception and interruptions unchanged (the
     * caller reports them), storage failures with the context of what was cleaned up.
     */
    private static StorageException failure(Throwable e, String context) throws IOException, InterruptedException {
        if (e instanceof InterruptedException ie) {
            throw ie;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e instanceof IOException io && !(io instanceof StorageException)) {
            throw io;
        }
        String detail = e instanceof SdkException s ? S3Errors.describe(s) : e.getMessage();
        return new StorageException(context + ": " + detail, e);
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
