package io.jenkins.plugins.pgbackup.testing;

import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MutableBlobMetadata;
import org.jclouds.blobstore.domain.internal.MutableBlobMetadataImpl;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.jclouds.io.MutableContentMetadata;
import org.jclouds.io.Payload;
import org.jclouds.io.Payloads;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server in this JVM: S3Proxy 3.0.0 (Jetty 11) on a free loopback port, AWS signature v4 with a test
 * key pair, over a jclouds {@code transient} (in memory) or {@code filesystem} blob store. {@link #faults()} makes
 * the blob store under S3Proxy fail on purpose (a part upload, a put, a delete), so S3Proxy answers those requests
 * with a real error response.
 *
 * <p>S3Proxy needs {@code ignoreUnknownHeaders}: the SDK sends headers it does not list ({@code x-amz-mp-object-size}
 * from the async multipart client, {@code x-amz-checksum-crc32} on DeleteObjects).
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "pgbackup-test-access";
    public static final String SECRET_KEY = "pgbackup-test-secret-0123456789";

    private final BlobStoreContext context;
    private final FaultyBlobStore blobStore;
    private final S3Proxy proxy;
    private final Path baseDir;
    private final URI endpoint;
    private S3Client client;

    private S3ProxyServer(String provider, Path baseDir, boolean strictHeaders) throws Exception {
        this.baseDir = baseDir;
        Properties overrides = new Properties();
        if (baseDir != null) {
            overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, baseDir.toString());
        }
        context = ContextBuilder.newBuilder(provider).credentials("identity", "credential").overrides(overrides)
                .build(BlobStoreContext.class);
        blobStore = new FaultyBlobStore(context.getBlobStore());
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(!strictHeaders)
                .build();
        proxy.start();
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Objects in memory: fast, for small objects. */
    public static S3ProxyServer inMemory() throws Exception {
        return new S3ProxyServer("transient", null, false);
    }

    /** Objects as files under {@code dir}: for large objects and benchmarks. */
    public static S3ProxyServer onDisk(Path dir) throws Exception {
        Files.createDirectories(dir);
        return new S3ProxyServer("filesystem", dir, false);
    }

    /**
     * In memory, and refusing every {@code x-amz-} header S3Proxy does not know, as S3Proxy does by default: stands
     * in for the S3-compatible servers that reject the SDK's newer checksum headers.
     */
    public static S3ProxyServer strictHeaders() throws Exception {
        return new S3ProxyServer("transient", null, true);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** S3-compatible settings for this server: path-style, checksums when required, the test key pair. */
    public StorageSettings settings(String bucket, String prefix) {
        return settings(endpoint, bucket, prefix);
    }

    /** The same settings for an S3Proxy elsewhere ({@link S3ProxyMain}). */
    public static StorageSettings settings(URI endpoint, String bucket, String prefix) {
        return StorageSettings.builder(StorageSettings.Provider.S3_COMPATIBLE)
                .endpoint(endpoint.toString())
                .bucket(bucket)
                .prefix(prefix)
                .credentials(ACCESS_KEY, SECRET_KEY)
                .build();
    }

    /** A client built the plugin's way, closed with the server. */
    public synchronized S3Client client() {
        if (client == null) {
            client = S3Clients.create(settings("unused", ""));
        }
        return client;
    }

    /** Creates a bucket with a fresh name through the S3 API. */
    public String createBucket() {
        String name = "pgbackup-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        client().createBucket(b -> b.bucket(name));
        return name;
    }

    public Faults faults() {
        return blobStore.faults;
    }

    /**
     * Every blob the store holds in a bucket, including what S3 clients never list: the parts of unfinished
     * multipart uploads ({@code .mpus-...}) and S3Proxy's upload stubs. Empty after a clean abort.
     */
    public List<String> rawBlobNames(String bucket) {
        List<String> names = new ArrayList<>();
        ListContainerOptions options = ListContainerOptions.Builder.recursive();
        while (true) {
            PageSet<? extends StorageMetadata> page = context.getBlobStore().list(bucket, options);
            page.stream().filter(m -> m.getType() == StorageType.BLOB)
                    .forEach(m -> names.add(m.getName()));
            if (page.getNextMarker() == null) {
                return names;
            }
            options = ListContainerOptions.Builder.recursive().afterMarker(page.getNextMarker());
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            proxy.stop();
        } finally {
            context.close();
            if (baseDir != null) {
                deleteRecursively(baseDir);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Failures to inject; each makes the blob store throw, which S3Proxy turns into an error response. */
    public static final class Faults {
        private volatile int partsBeforeFailure = Integer.MAX_VALUE;
        private volatile boolean failComplete;
        private volatile String failPutsEndingWith;
        private volatile boolean corruptMetadataOnUploadStart;
        private volatile long breakDownloadsAfter = -1;
        private volatile int abortsToFail;
        private volatile long partDelayMillis;
        private final AtomicInteger partServerErrors = new AtomicInteger();
        private final AtomicInteger aborts = new AtomicInteger();
        private final Set<String> undeletable = ConcurrentHashMap.newKeySet();
        private final Set<String> failBatchesWith = ConcurrentHashMap.newKeySet();
        private final AtomicInteger partUploads = new AtomicInteger();
        private final AtomicInteger copies = new AtomicInteger();
        private final AtomicInteger reads = new AtomicInteger();

        /**
         * Lets this many part uploads (UploadPart and UploadPartCopy alike) succeed, then fails every later one,
         * retries included.
         */
        public Faults failPartUploadsAfter(int successfulParts) {
            partUploads.set(0);
            partsBeforeFailure = successfulParts;
            return this;
        }

        /** Fails every CompleteMultipartUpload; S3Proxy has already answered 200, so the error is in the body. */
        public Faults failCompleteMultipartUpload() {
            failComplete = true;
            return this;
        }

        /** Fails every PutObject of a key ending with {@code suffix}, such as ".manifest.json". */
        public Faults failPutsEndingWith(String suffix) {
            failPutsEndingWith = suffix;
            return this;
        }

        /** A multipart object ends up with a different database name than it was sent, as a buggy server might. */
        public Faults corruptMetadataOnUploadStart() {
            corruptMetadataOnUploadStart = true;
            return this;
        }

        /**
         * The key survives every delete while the server reports it deleted, like an object under a legal hold on
         * a server that does not say so: S3Proxy 3.0.0 never writes per-key errors into a DeleteObjects result.
         */
        public Faults undeletable(String key) {
            undeletable.add(key);
            return this;
        }

        /** A DeleteObjects request naming this key fails as a whole (HTTP 500) and deletes nothing. */
        public Faults failDeleteBatchesContaining(String key) {
            failBatchesWith.add(key);
            return this;
        }

        /**
         * GetObject sends the headers, then this many bytes of the content, then drops the connection: a download
         * cut short by the network.
         */
        public Faults breakDownloadsAfter(long bytes) {
            breakDownloadsAfter = bytes;
            return this;
        }

        /**
         * Fails this many AbortMultipartUpload requests (the SDK's retries count), then lets them through;
         * {@link Integer#MAX_VALUE} fails every one.
         */
        public Faults failAborts(int times) {
            aborts.set(0);
            abortsToFail = times;
            return this;
        }

        /** The next {@code times} part uploads fail with HTTP 500, which clients retry; later ones go through. */
        public Faults failNextPartUploadsWithServerError(int times) {
            partServerErrors.set(times);
            return this;
        }

        /** Every part upload takes this long before it is stored, as over a slow link. */
        public Faults delayPartUploads(java.time.Duration delay) {
            partDelayMillis = delay.toMillis();
            return this;
        }

        /** How many AbortMultipartUpload requests reached the blob store since the last reset. */
        public int aborts() {
            return aborts.get();
        }

        /** How many GetObject and HeadObject requests reached the blob store since the last reset. */
        public int reads() {
            return reads.get();
        }

        /** How many CopyObject requests reached the blob store since the last reset. */
        public int copies() {
            return copies.get();
        }

        /** How many part uploads reached the blob store since the last {@link #failPartUploadsAfter}. */
        public int partUploads() {
            return partUploads.get();
        }

        public void reset() {
            partsBeforeFailure = Integer.MAX_VALUE;
            failComplete = false;
            failPutsEndingWith = null;
            corruptMetadataOnUploadStart = false;
            breakDownloadsAfter = -1;
            abortsToFail = 0;
            partDelayMillis = 0;
            partServerErrors.set(0);
            aborts.set(0);
            undeletable.clear();
            failBatchesWith.clear();
            partUploads.set(0);
            copies.set(0);
            reads.set(0);
        }
    }

    /** Gives {@code limit} bytes, then fails as a dropped connection does. */
    private static final class BreakingStream extends FilterInputStream {
        private long remaining;

        BreakingStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                throw new IOException("Injected broken download");
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }

    /** A failure S3Proxy answers with HTTP 500 InternalError. */
    private static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }

    /** Passes everything to the real blob store unless a fault says otherwise. */
    private static final class FaultyBlobStore extends ForwardingBlobStore {
        private final Faults faults = new Faults();

        FaultyBlobStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, Payload payload) {
            if (faults.partUploads.incrementAndGet() > faults.partsBeforeFailure) {
                throw new IllegalStateException("Injected failure of part " + partNumber);
            }
            if (faults.partServerErrors.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new InjectedFailure("Injected server error on part " + partNumber);
            }
            if (faults.partDelayMillis > 0) {
                try {
                    Thread.sleep(faults.partDelayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.uploadMultipartPart(mpu, partNumber, payload);
        }

        /**
         * S3Proxy's AbortMultipartUpload first checks the upload's stub with this (nothing else calls it), then
         * removes the stub, then the parts: failing here fails the request before anything changed. Not an
         * IllegalStateException, which S3Proxy answers with a 400: this one is a 500, which the SDK retries.
         */
        @Override
        public boolean blobExists(String container, String name) {
            if (faults.aborts.incrementAndGet() <= faults.abortsToFail) {
                throw new InjectedFailure("Injected failure of AbortMultipartUpload");
            }
            return super.blobExists(container, name);
        }

        @Override
        public String completeMultipartUpload(MultipartUpload mpu, List<MultipartPart> parts) {
            if (faults.failComplete) {
                throw new IllegalStateException("Injected failure of CompleteMultipartUpload");
            }
            if (faults.corruptMetadataOnUploadStart) {
                MutableBlobMetadata changed = new MutableBlobMetadataImpl(mpu.blobMetadata());
                Map<String, String> user = new HashMap<>(mpu.blobMetadata().getUserMetadata());
                user.put("database", "not-what-was-sent");
                changed.setUserMetadata(user);
                mpu = MultipartUpload.create(mpu.containerName(), mpu.blobName(), mpu.id(), changed,
                        mpu.putOptions());
            }
            return super.completeMultipartUpload(mpu, parts);
        }

        @Override
        public String copyBlob(String fromContainer, String fromName, String toContainer, String toName,
                CopyOptions options) {
            faults.copies.incrementAndGet();
            return super.copyBlob(fromContainer, fromName, toContainer, toName, options);
        }

        @Override
        public String putBlob(String container, Blob blob) {
            failPutIfAsked(blob);
            return super.putBlob(container, blob);
        }

        @Override
        public String putBlob(String container, Blob blob, PutOptions options) {
            failPutIfAsked(blob);
            return super.putBlob(container, blob, options);
        }

        private void failPutIfAsked(Blob blob) {
            String suffix = faults.failPutsEndingWith;
            if (suffix != null && blob.getMetadata().getName().endsWith(suffix)) {
                throw new IllegalStateException("Injected failure of PutObject " + blob.getMetadata().getName());
            }
        }

        @Override
        public Blob getBlob(String container, String name) {
            return getBlob(container, name, GetOptions.NONE);
        }

        @Override
        public BlobMetadata blobMetadata(String container, String name) {
            faults.reads.incrementAndGet();
            return super.blobMetadata(container, name);
        }

        @Override
        public Blob getBlob(String container, String name, GetOptions options) {
            faults.reads.incrementAndGet();
            Blob blob = super.getBlob(container, name, options);
            long limit = faults.breakDownloadsAfter;
            if (blob == null || limit < 0) {
                return blob;
            }
            MutableContentMetadata contentMetadata = blob.getPayload().getContentMetadata();
            try {
                Payload broken = Payloads.newInputStreamPayload(new BreakingStream(blob.getPayload().openStream(),
                        limit));
                broken.setContentMetadata(contentMetadata);
                blob.setPayload(broken);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return blob;
        }

        @Override
        public void removeBlob(String container, String name) {
            if (!faults.undeletable.contains(name)) {
                super.removeBlob(container, name);
            }
        }

        @Override
        public void removeBlobs(String container, Iterable<String> names) {
            List<String> deletable = new ArrayList<>();
            for (String name : names) {
                if (faults.failBatchesWith.contains(name)) {
                    throw new IllegalStateException("Injected failure of a DeleteObjects batch");
                }
                if (!faults.undeletable.contains(name)) {
                    deletable.add(name);
                }
            }
            super.removeBlobs(container, deletable);
        }
    }
}
