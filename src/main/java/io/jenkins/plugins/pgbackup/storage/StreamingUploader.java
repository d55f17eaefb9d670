package io.jenkins.plugins.pgbackup.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Streams a dump into one S3 object without a temporary file: the source is cut into fixed-size parts (R2 rejects
 * unequal non-final parts) that upload on a small pool while the next part is read, so reading and uploading overlap
 * and memory stays at {@code concurrency + 1} part buffers whatever the dump's size. The SHA-256 is computed as the
 * bytes are read. A source shorter than one part is sent with a single PutObject.
 *
 * <p>Any failure — the source throws, a part fails after the SDK's retries, the thread is interrupted, the
 * {@link SourceCheck} refuses — aborts the multipart upload: no object and no open upload remain.
 *
 * <p>The {@code size} and {@code sha256} metadata are only known at the end, but S3 fixes an object's metadata when
 * the multipart upload is created. So the upload is completed first and then copied onto itself with
 * {@code MetadataDirective.REPLACE} and the full metadata (a server-side copy; above 5 GiB, the CopyObject limit, a
 * multipart copy with UploadPartCopy). Until that copy succeeds the object has no {@code sha256} and is therefore not a
 * backup to the catalog or to retention; if it fails the object is deleted. A HEAD request then checks size and
 * metadata; a mismatch deletes the object and fails.
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
    /** The largest object CopyObject copies; above it the metadata copy uses UploadPartCopy. */
    static final long COPY_OBJECT_LIMIT = 5L * 1024 * MIB;
    static final long DEFAULT_COPY_PART_SIZE = 512L * MIB;

    static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final int concurrency;
    private final long copyObjectLimit;
    private final long copyPartSize;
    private final Observer observer;

    /** An uploader with 16 MiB parts and two parts in flight. */
    public StreamingUploader(S3Client s3, String bucket) {
        this(s3, bucket, DEFAULT_PART_SIZE, DEFAULT_CONCURRENCY, COPY_OBJECT_LIMIT, DEFAULT_COPY_PART_SIZE,
                Observer.NONE);
    }

    private StreamingUploader(S3Client s3, String bucket, int partSize, int concurrency, long copyObjectLimit,
            long copyPartSize, Observer observer) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.partSize = partSize;
        this.concurrency = concurrency;
        this.copyObjectLimit = copyObjectLimit;
        this.copyPartSize = copyPartSize;
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
        return new StreamingUploader(s3, bucket, partSize, parts, copyObjectLimit, copyPartSize, observer);
    }

    /** Exact part size, at least 5 MiB; tests use the minimum to get many parts from little data. */
    StreamingUploader withPartSize(int bytes) {
        if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
            throw new IllegalArgumentException("Part size must be between 5 MiB and 1 GiB, not " + bytes);
        }
        return new StreamingUploader(s3, bucket, bytes, concurrency, copyObjectLimit, copyPartSize, observer);
    }

    /** Lowers the CopyObject limit so tests exercise the multipart metadata copy without 5 GiB of data. */
    StreamingUploader withCopyObjectLimit(long limit, long partBytes) {
        return new StreamingUploader(s3, bucket, partSize, concurrency, limit, partBytes, observer);
    }

    StreamingUploader withObserver(Observer o) {
        return new StreamingUploader(s3, bucket, partSize, concurrency, copyObjectLimit, copyPartSize, o);
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
     * Reads {@code source} to its end and stores it at {@code key} with the metadata plus {@code size} and
     * {@code sha256}. Refuses to overwrite an existing object.
     *
     * @param progress gets the number of bytes read so far after every read; called on this thread
     * @param check called once the source has ended and before the object becomes visible, for example to wait for
     *     pg_dump's exit status; if it throws, the upload is aborted
     * @throws StorageException if storage fails; nothing is left behind
     * @throws IOException what the source or the check threw; nothing is left behind
     * @throws InterruptedException if interrupted; nothing is left behind
     */
    public UploadResult upload(InputStream source, String key, BackupMetadata metadata, LongConsumer progress,
            SourceCheck check) throws IOException, InterruptedException {
        if (!BackupMetadata.CREATED_BY_VALUE.equals(metadata.getCreatedBy())) {
            throw new IllegalArgumentException("Backup metadata must come from BackupMetadata.builder");
        }
        requireAbsent(key);
        try (Upload upload = new Upload(key, metadata, progress, check)) {
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
        private long total;
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
            if (n < partSize) {
                return putSingle(first, n);
            }
            uploadParts(source, first);
            BackupMetadata full = metadata.withContent(total, hex(sha256.digest()));
            String eTag = replaceMetadata(full);
            verify(full);
            LOGGER.log(Level.FINE, "Uploaded s3://{0}/{1}: {2} bytes in {3} parts",
                    new Object[] {bucket, key, total, parts.size()});
            return new UploadResult(bucket, key, total, full.getSha256(), eTag, parts.size());
        }

        private UploadResult putSingle(byte[] buffer, int n) throws IOException, InterruptedException {
            check.sourceEnded(total);
            BackupMetadata full = metadata.withContent(total, hex(sha256.digest()));
            String eTag;
            try {
                eTag = s3.putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE).contentLength((long) n)
                        .metadata(full.toUserMetadata()), body(buffer, n)).eTag();
            } catch (SdkException e) {
                throw new StorageException("Uploading s3://" + bucket + "/" + key + " failed: "
                        + S3Errors.describe(e), e);
            } finally {
                pool.give(buffer);
            }
            verify(full);
            return new UploadResult(bucket, key, total, full.getSha256(), eTag, 1);
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
                    deleteAfterFailure(e);
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

        private String replaceMetadata(BackupMetadata full) throws IOException, InterruptedException {
            try {
                if (total <= copyObjectLimit) {
                    return s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket)
                            .destinationKey(key).metadataDirective(MetadataDirective.REPLACE)
                            .contentType(CONTENT_TYPE).metadata(full.toUserMetadata())).copyObjectResult().eTag();
                }
                return new MultipartCopy(full).run();
            } catch (StorageException | InterruptedException | RuntimeException e) {
                deleteAfterFailure(e);
                throw failure(e, "Adding the size and sha256 metadata to s3://" + bucket + "/" + key
                        + " failed; the object was deleted");
            }
        }

        /** Checks what the server now holds; a mismatch deletes the object. */
        private void verify(BackupMetadata expected) throws StorageException {
            HeadObjectResponse head;
            try {
                head = s3.headObject(b -> b.bucket(bucket).key(key));
            } catch (SdkException e) {
                throw new StorageException("Checking s3://" + bucket + "/" + key + " after the upload failed: "
                        + S3Errors.describe(e), e);
            }
            BackupMetadata stored = BackupMetadata.fromUserMetadata(head.metadata());
            String problem = head.contentLength() != total
                    ? "holds " + head.contentLength() + " bytes, not the " + total + " uploaded"
                    : stored.equals(expected) ? null : "has metadata " + stored + ", not " + expected;
            if (problem != null) {
                StorageException e = new StorageException("The uploaded object s3://" + bucket + "/" + key + " "
                        + problem + "; it was deleted");
                deleteAfterFailure(e);
                throw e;
            }
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

        private void deleteAfterFailure(Throwable cause) {
            boolean interrupted = Thread.interrupted();
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            } catch (SdkException e) {
                cause.addSuppressed(new StorageException("Could not delete s3://" + bucket + "/" + key
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

        /** Copies the object onto itself in ranges, with the full metadata, when it is too large for CopyObject. */
        private final class MultipartCopy {
            private final BackupMetadata full;
            private String copyId;

            MultipartCopy(BackupMetadata full) {
                this.full = full;
            }

            String run() throws StorageException, InterruptedException {
                long rangeSize = Math.max(copyPartSize, (total + MAX_PARTS - 1) / MAX_PARTS);
                try {
                    List<Future<CompletedPart>> copies = new ArrayList<>();
                    copyId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                            .metadata(full.toUserMetadata())).uploadId();
                    int partNumber = 1;
                    for (long start = 0; start < total; start += rangeSize, partNumber++) {
                        copies.add(copyRange(partNumber, start, Math.min(total, start + rangeSize) - 1));
                    }
                    List<CompletedPart> completed = new ArrayList<>();
                    for (Future<CompletedPart> f : copies) {
                        completed.add(getPart(f));
                    }
                    return s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(copyId)
                            .multipartUpload(m -> m.parts(completed))).eTag();
                } catch (StorageException | InterruptedException | RuntimeException e) {
                    if (copyId != null) {
                        abortCopy(e);
                    }
                    throw e;
                }
            }

            private Future<CompletedPart> copyRange(int partNumber, long first, long last) {
                return executor.submit(() -> {
                    String eTag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(key)
                            .destinationBucket(bucket).destinationKey(key).uploadId(copyId).partNumber(partNumber)
                            .copySourceRange("bytes=" + first + "-" + last)).copyPartResult().eTag();
                    return CompletedPart.builder().partNumber(partNumber).eTag(eTag).build();
                });
            }

            /** Waits for the ranges still copying, so none lands after the abort, then aborts. */
            private void abortCopy(Throwable cause) {
                boolean interrupted = Thread.interrupted();
                try {
                    shutdownAndWait();
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(copyId));
                } catch (SdkException | InterruptedException e) {
                    cause.addSuppressed(e);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
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
