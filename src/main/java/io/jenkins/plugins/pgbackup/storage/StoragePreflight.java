package io.jenkins.plugins.pgbackup.storage;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checks, in seconds, that the storage can be used before a backup or restore starts its programs: a backup that
 * cannot store anything should not run pg_dump first, and a restore should fail before it touches the target.
 *
 * <p>Its own client with short timeouts and two attempts, so an endpoint that does not answer fails in seconds instead
 * of the upload's minutes of retries. The messages lead with what the user acts on ({@code Cannot reach the S3
 * endpoint http://host:9: connection refused}); no SDK exception is attached, so nothing that cannot cross to the
 * controller travels with them.
 */
public final class StoragePreflight {
    private static final Logger LOGGER = Logger.getLogger(StoragePreflight.class.getName());

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    static final int ATTEMPTS = 2;
    /** Where the write probe starts its upload; never completed, so no object of that name ever exists. */
    static final String PROBE_NAME = ".pgbackup-preflight-";

    private final StorageSettings settings;

    public StoragePreflight(StorageSettings settings) {
        this.settings = settings;
    }

    /**
     * That the bucket exists and the credentials may write to it: starts a multipart upload under the prefix and
     * aborts it. That is the permission the backup's upload needs (and the one it uses to clean up after a failure);
     * a put and delete of a probe object would also need the right to delete, which a write-only backup user may not
     * have, and would leave a version behind in a versioned bucket.
     *
     * @throws StorageException with the cause first, when the storage cannot be used
     * @throws InterruptedException when the build was aborted
     */
    public void checkWritable() throws StorageException, InterruptedException {
        String prefix = settings.getPrefix();
        String key = (prefix.isEmpty() ? "" : prefix + "/") + PROBE_NAME + UUID.randomUUID();
        try (S3Client s3 = client()) {
            String uploadId = s3.createMultipartUpload(b -> b.bucket(settings.getBucket()).key(key)).uploadId();
            // From the cleanup thread: an abort of the build right now must not leave the probe open. A refusal is
            // final (no retries): the write worked, and an empty upload left open holds no data.
            String why;
            try (CleanupRequests cleanup = new CleanupRequests(key)) {
                why = cleanup.send("Aborting the preflight upload " + key, o -> s3.abortMultipartUpload(
                        b -> b.bucket(settings.getBucket()).key(key).uploadId(uploadId).overrideConfiguration(o)),
                        e -> e instanceof AwsServiceException);
            }
            if (why != null) {
                LOGGER.fine(() -> "Could not abort the preflight upload " + key + ": " + why);
            }
        } catch (SdkException e) {
            throw failure(e, "write to");
        }
    }

    /**
     * That the bucket exists and the credentials may read it (HEAD bucket).
     *
     * @throws StorageException with the cause first, when the storage cannot be used
     * @throws InterruptedException when the build was aborted
     */
    public void checkReadable() throws StorageException, InterruptedException {
        try (S3Client s3 = client()) {
            s3.headBucket(b -> b.bucket(settings.getBucket()));
        } catch (SdkException e) {
            throw failure(e, "read");
        }
    }

    private S3Client client() {
        return S3Clients.create(settings, b -> b
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT).maxConnections(1))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(ATTEMPTS))
                        .apiCallTimeout(CALL_TIMEOUT)));
    }

    private StorageException failure(SdkException e, String access) throws InterruptedException {
        if (e instanceof AbortedException || interrupted(e)) {
            Thread.interrupted();
            InterruptedException ie = new InterruptedException("the storage check was interrupted");
            ie.initCause(e);
            throw ie;
        }
        LOGGER.log(Level.FINE, "Storage preflight failed for " + settings.location(), e);
        return new StorageException(describe(e, settings, access));
    }

    /** The endpoint as users configured it, or Amazon's for the region. */
    static String endpoint(StorageSettings settings) {
        return settings.getEndpoint().isEmpty() ? "https://s3." + settings.getRegion() + ".amazonaws.com"
                : settings.getEndpoint();
    }

    /**
     * The cause first, in words to act on.
     *
     * @param access what was tried: "write to" or "read"
     */
    static String describe(SdkException e, StorageSettings settings, String access) {
        String bucket = settings.getBucket();
        String endpoint = endpoint(settings);
        if (e instanceof AwsServiceException s) {
            AwsErrorDetails d = s.awsErrorDetails();
            String code = d == null || d.errorCode() == null ? "" : d.errorCode();
            String detail = " (" + (code.isEmpty() ? "HTTP " + s.statusCode() : code + ", HTTP " + s.statusCode())
                    + ")";
            if (s.statusCode() == 404 || code.equals("NoSuchBucket")) {
                return "Bucket " + bucket + " does not exist at " + endpoint + detail
                        + ": create it, or correct the bucket name or the endpoint";
            }
            if (code.equals("InvalidAccessKeyId") || code.equals("SignatureDoesNotMatch")) {
                return "The S3 endpoint " + endpoint + " refused the storage credentials" + detail
                        + ": check the access key id and the secret key";
            }
            if (s.statusCode() == 403) {
                return "Access denied to bucket " + bucket + " at " + endpoint + detail + ": the storage credentials "
                        + "may not " + access + " it";
            }
            if (s.statusCode() == 301 || code.equals("PermanentRedirect") || code.equals("AuthorizationHeaderMalformed")
                    || code.equals("IllegalLocationConstraintException")) {
                return "Bucket " + bucket + " is not in region " + settings.getRegion() + detail
                        + ": set the storage's region to the bucket's";
            }
            String message = d == null || d.errorMessage() == null ? "" : ": " + d.errorMessage();
            return "The S3 endpoint " + endpoint + " refused to " + access + " bucket " + bucket + detail + message;
        }
        return clientSide(e, endpoint);
    }

    /** No answer from the server: the network, the name, TLS or a timeout. */
    private static String clientSide(SdkException e, String endpoint) {
        UnknownHostException unknown = cause(e, UnknownHostException.class);
        if (unknown != null) {
            return "Unknown host " + host(endpoint, unknown.getMessage()) + " of the S3 endpoint " + endpoint
                    + ": check the endpoint (and the agent's DNS)";
        }
        if (cause(e, NoRouteToHostException.class) != null) {
            return "Cannot reach the S3 endpoint " + endpoint + ": no route to host";
        }
        if (cause(e, ConnectException.class) != null) {
            // Decided by type, never by its message: that is the operating system's, in the agent's language.
            return "Cannot reach the S3 endpoint " + endpoint + ": connection refused";
        }
        if (cause(e, SSLException.class) != null) {
            return "Cannot reach the S3 endpoint " + endpoint + ": the TLS handshake failed ("
                    + cause(e, SSLException.class).getMessage() + ")";
        }
        if (e instanceof ApiCallTimeoutException || cause(e, SocketTimeoutException.class) != null
                || isConnectTimeout(e)) {
            return "Cannot reach the S3 endpoint " + endpoint + ": no answer within "
                    + CONNECT_TIMEOUT.toSeconds() + " s (" + ATTEMPTS + " attempts)";
        }
        return "Cannot reach the S3 endpoint " + endpoint + ": " + e.getMessage();
    }

    /** Apache's connect timeout is an {@link InterruptedIOException} that is not an interruption. */
    private static boolean isConnectTimeout(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    /** An interrupted thread, as opposed to the timeouts that share the type. */
    private static boolean interrupted(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getClass() == InterruptedIOException.class || c instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    private static String host(String endpoint, String fallback) {
        try {
            String h = java.net.URI.create(endpoint).getHost();
            return h != null ? h : fallback;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
