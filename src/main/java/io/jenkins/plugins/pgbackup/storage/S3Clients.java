package io.jenkins.plugins.pgbackup.storage;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds the synchronous S3 client the plugin uses against Amazon S3, Cloudflare R2 and S3-compatible servers: the
 * Apache HTTP client (the one the aws-java-sdk2 plugins bundle; no Netty, no CRT), bounded timeouts and retries.
 */
public final class S3Clients {
    /** Time to open a TCP (and TLS) connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Time without a byte on an open connection. Generous because CompleteMultipartUpload and CopyObject of large
     * objects keep the connection silent, or nearly, while the server assembles the object.
     */
    public static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(2);

    /** Attempts per request, the first included; the SDK backs off exponentially with jitter between them. */
    public static final int MAX_ATTEMPTS = 4;

    /** Enough for the upload's parts in flight plus the catalog's concurrent HEAD requests. */
    static final int MAX_CONNECTIONS = 32;

    private S3Clients() {}

    /** A new client; the caller closes it (it holds a connection pool). */
    public static S3Client create(StorageSettings settings) {
        return create(settings, b -> {});
    }

    /** Lets tests observe requests with an interceptor. */
    static S3Client create(StorageSettings settings, Consumer<S3ClientBuilder> customizer) {
        if (settings.isKeysElsewhere()) {
            // Never fall back to whatever credentials this machine has: the keys are on the controller.
            throw new IllegalStateException("No S3 client here for " + settings.location()
                    + ": its keys stay on the controller, which signs");
        }
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .maxConnections(MAX_CONNECTIONS)
                        .tcpKeepAlive(true))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(MAX_ATTEMPTS)))
                .region(Region.of(settings.getRegion()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.isPathStyle());
        if (!settings.getEndpoint().isEmpty()) {
            b.endpointOverride(URI.create(settings.getEndpoint()));
        }
        if (settings.isChecksumWhenRequired()) {
            // Since SDK 2.30 every upload carries a CRC32 trailer in an aws-chunked body, which R2 and many
            // S3-compatible servers reject (S3Proxy cannot verify a signed payload with a trailer). Checksums only
            // where an operation demands them, plain Content-Length bodies. DeleteObjects demands one: the SDK still
            // sends CRC32 there, and the legacy Content-MD5 as well, which older servers require.
            b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                    .addPlugin(LegacyMd5Plugin.create());
        }
        customizer.accept(b);
        return b.build();
    }

    /**
     * A presigner for the same place with the same keys as {@link #create(StorageSettings)}'s client: endpoint,
     * region, path-style. For the controller, which signs requests that agents send without keys; the caller closes it.
     */
    public static S3Presigner presigner(StorageSettings settings) {
        if (settings.isKeysElsewhere()) {
            throw new IllegalStateException("Nothing can be signed here for " + settings.location()
                    + ": its keys stay on the controller");
        }
        S3Presigner.Builder b = S3Presigner.builder()
                .region(Region.of(settings.getRegion()))
                .credentialsProvider(credentials(settings))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.isPathStyle())
                        .build());
        if (!settings.getEndpoint().isEmpty()) {
            b.endpointOverride(URI.create(settings.getEndpoint()));
        }
        return b.build();
    }

    private static AwsCredentialsProvider credentials(StorageSettings settings) {
        if (settings.getAccessKeyId().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.getAccessKeyId(), settings.getSecretKey()));
    }
}
