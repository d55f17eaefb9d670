package io.jenkins.plugins.pgbackup.signing;

import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.ObjectHead;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
import io.jenkins.plugins.pgbackup.storage.UploadTarget;
import io.jenkins.plugins.pgbackup.storage.UploadedPart;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The agent's side of an upload when the controller keeps the keys: the parts go straight to storage, each by an
 * HTTP PUT to a presigned UploadPart URL with its {@code Content-MD5} (storage rejects a part that arrives
 * corrupted); everything else is a call to the controller's {@link BackupGrant}. The agent holds no key and no S3
 * client. Part URLs are asked for in batches of {@link #URLS_PER_CALL} as the parts need them, so that a backup of
 * 100 GB in 16 MiB parts makes about 200 calls for URLs, not 6,400.
 *
 * <p>Every object is a multipart upload, a small one of one part: a presigned PutObject would stay valid for its
 * whole lifetime and could replace the object, or its manifest, after the controller checked it, while a part URL
 * dies with its upload. The controller also sets the metadata itself, in CreateMultipartUpload.
 */
public final class SignedUploadTarget implements UploadTarget {
    /** Part URLs asked for at once: 32 parts of 16 MiB are 512 MiB, minutes of upload on a slow link. */
    static final int URLS_PER_CALL = 32;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** One part's PUT until its answer: a 16 MiB part at 20 KB/s still makes it. */
    static final Duration PART_TIMEOUT = Duration.ofMinutes(15);
    /** Attempts per part, the first included, for server errors and broken connections. */
    static final int ATTEMPTS = 4;
    /** A URL this close to its expiry is not used; a fresh one is asked for. */
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);

    private final BackupGrant grant;
    private final String bucket;
    private final HttpClient http;
    /** Part URLs fetched and not used yet, by upload id and part number. */
    private final Map<String, PartUrl> urls = new ConcurrentHashMap<>();

    /**
     * @param grant the controller's grant for this backup (a remote reference in Jenkins)
     * @param bucket for messages
     */
    public SignedUploadTarget(BackupGrant grant, String bucket) {
        this.grant = Objects.requireNonNull(grant, "grant");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        // The JVM's proxy settings (https.proxyHost, ...), which the SDK's client also reads in the keys mode.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .proxy(ProxySelector.getDefault()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public boolean putsSmallObjects() {
        return false;
    }

    @Override
    public void requireAbsent(String key) throws IOException {
        grant.requireAbsent(key);
    }

    @Override
    public String createUpload(String key, BackupMetadata metadata) throws IOException {
        return grant.createUpload(key, metadata);
    }

    @Override
    public String uploadPart(String key, String uploadId, int partNumber, byte[] buffer, int length)
            throws IOException, InterruptedException {
        String md5 = Base64.getEncoder().encodeToString(md5(buffer, length));
        PartUrl url = url(key, uploadId, partNumber, false);
        boolean refreshed = false;
        String failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                Thread.sleep(500L << (attempt - 2));
            }
            HttpResponse<String> r;
            try {
                r = send(put(url, md5, buffer, length));
            } catch (IOException e) {
                failure = e.toString();
                continue;
            }
            int status = r.statusCode();
            if (status == 200) {
                return r.headers().firstValue("ETag").orElseThrow(() -> new StorageException("Uploading part "
                        + partNumber + " of " + location(key) + " got no ETag"));
            }
            failure = "HTTP " + status + describeError(r.body());
            if (status == 403 && !refreshed) {
                // Perhaps expired while it waited: one fresh URL, once.
                refreshed = true;
                url = url(key, uploadId, partNumber, true);
                attempt--;
            } else if (status < 500 && status != 408 && status != 429) {
                break;
            }
        }
        throw new StorageException("Uploading part " + partNumber + " of " + location(key) + " failed: " + failure);
    }

    private static HttpRequest put(PartUrl url, String md5, byte[] buffer, int length) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.url())).timeout(PART_TIMEOUT)
                .header("Content-MD5", md5)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(buffer, 0, length));
        url.headers().forEach(b::header);
        return b.build();
    }

    /** Sends on the client's threads; an interruption of this thread cancels the request. */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> f = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(c), c);
        }
    }

    /** The URL of a part: one fetched in an earlier batch, or the next batch from the controller. */
    private PartUrl url(String key, String uploadId, int partNumber, boolean fresh) throws IOException {
        String id = uploadId + "#" + partNumber;
        PartUrl u = fresh ? null : usable(urls.remove(id));
        if (u != null) {
            return u;
        }
        synchronized (this) {
            u = fresh ? null : usable(urls.remove(id));
            if (u != null) {
                return u;
            }
            int count = fresh ? 1 : Math.min(URLS_PER_CALL, StreamingUploader.MAX_PARTS - partNumber + 1);
            for (PartUrl p : grant.partUrls(key, uploadId, partNumber, count)) {
                urls.put(uploadId + "#" + p.partNumber(), p);
            }
            u = urls.remove(id);
        }
        if (u == null) {
            throw new StorageException("The controller gave no URL for part " + partNumber + " of " + location(key));
        }
        return u;
    }

    private static PartUrl usable(PartUrl u) {
        return u != null && u.expires().isAfter(Instant.now().plus(EXPIRY_MARGIN)) ? u : null;
    }

    @Override
    public void putObject(String key, BackupMetadata metadata, byte[] buffer, int length) {
        throw new UnsupportedOperationException("Every object is a multipart upload when the controller signs");
    }

    @Override
    public void complete(String key, String uploadId, List<UploadedPart> parts) throws IOException {
        urls.keySet().removeIf(k -> k.startsWith(uploadId + "#"));
        grant.complete(key, uploadId, parts);
    }

    @Override
    public ObjectHead head(String key) throws IOException {
        return grant.head(key);
    }

    @Override
    public String writeManifest(BackupManifest manifest) throws IOException {
        return grant.writeManifest(manifest);
    }

    @Override
    public boolean abort(String key, String uploadId, Duration timeout) throws IOException {
        urls.keySet().removeIf(k -> k.startsWith(uploadId + "#"));
        return grant.abort(key, uploadId, timeout);
    }

    @Override
    public List<String> openUploads(String key, Duration timeout) throws IOException {
        return grant.openUploads(key, timeout);
    }

    @Override
    public void delete(String key, Duration timeout) throws IOException {
        grant.delete(key, timeout);
    }

    /** ": NoSuchUpload: The specified upload does not exist" from an S3 error body, or nothing. */
    static String describeError(String body) {
        String c = S3ErrorBody.code(body);
        String m = S3ErrorBody.message(body);
        if (c == null && m == null) {
            return "";
        }
        return ": " + (c == null ? "" : c) + (c != null && m != null ? ": " : "") + (m == null ? "" : m);
    }

    private static byte[] md5(byte[] buffer, int length) {
        try {
            MessageDigest d = MessageDigest.getInstance("MD5");
            d.update(buffer, 0, length);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    private String location(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
