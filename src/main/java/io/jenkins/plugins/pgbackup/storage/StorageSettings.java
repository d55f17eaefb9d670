package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where backups are stored: an S3 bucket (Amazon S3, Cloudflare R2 or another S3-compatible server), a key prefix and
 * the credentials to reach it. It crosses to the agent that runs pg_dump, so it is serializable with final fields; the
 * secret key is never part of {@link #toString()}.
 */
public final class StorageSettings implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The kinds of storage the plugin knows; each brings its own defaults. */
    public enum Provider {
        /** Amazon S3: region required, virtual-hosted addressing, the SDK's default checksums. */
        AMAZON_S3,
        /** Cloudflare R2: {@code https://<account>.r2.cloudflarestorage.com}, region {@code auto}. */
        CLOUDFLARE_R2,
        /** MinIO, Ceph, S3Proxy and the like: an endpoint, path-style addressing. */
        S3_COMPATIBLE
    }

    /** The region R2 accepts. */
    public static final String R2_REGION = "auto";

    /** The region used when an S3-compatible server does not care. */
    public static final String DEFAULT_REGION = "us-east-1";

    private final Provider provider;
    private final String bucket;
    private final String prefix;
    private final String endpoint;
    private final String region;
    private final boolean pathStyle;
    private final String accessKeyId;
    private final String secretKey;
    private final boolean checksumWhenRequired;
    /** The keys stay on the controller, which signs: these settings name the place and hold no keys. */
    private final boolean keysElsewhere;

    private StorageSettings(Builder b) {
        this.provider = Objects.requireNonNull(b.provider, "provider");
        this.bucket = requireBucket(b.bucket);
        this.prefix = normalizePrefix(b.prefix);
        this.endpoint = normalizeEndpoint(b.endpoint, provider);
        this.region = isBlank(b.region) ? defaultRegion(provider) : b.region.trim();
        this.pathStyle = b.pathStyle != null ? b.pathStyle : provider != Provider.AMAZON_S3;
        this.accessKeyId = isBlank(b.accessKeyId) ? "" : b.accessKeyId.trim();
        this.secretKey = b.secretKey == null ? "" : b.secretKey;
        this.checksumWhenRequired =
                b.checksumWhenRequired != null ? b.checksumWhenRequired : provider != Provider.AMAZON_S3;
        this.keysElsewhere = b.keysElsewhere;
        if (keysElsewhere) {
            if (!accessKeyId.isEmpty()) {
                throw new IllegalArgumentException("Settings whose keys stay elsewhere hold none");
            }
            return;
        }
        if (accessKeyId.isEmpty() != secretKey.isEmpty()) {
            throw new IllegalArgumentException("Give both an access key id and a secret key, or neither");
        }
        if (accessKeyId.isEmpty() && provider != Provider.AMAZON_S3) {
            throw new IllegalArgumentException("An access key id and a secret key are required for "
                    + provider.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
    }

    public static Builder builder(Provider provider) {
        return new Builder(provider);
    }

    /** A copy to change some settings. */
    public Builder toBuilder() {
        Builder b = new Builder(provider);
        b.bucket = bucket;
        b.prefix = prefix;
        b.endpoint = endpoint;
        b.region = region;
        b.pathStyle = pathStyle;
        b.accessKeyId = accessKeyId;
        b.secretKey = secretKey;
        b.checksumWhenRequired = checksumWhenRequired;
        b.keysElsewhere = keysElsewhere;
        return b;
    }

    /**
     * The same place without the keys, for the side that must never hold them (an agent when the controller signs):
     * good for messages and keys' names, refused by {@link S3Clients#create}.
     */
    public StorageSettings withoutKeys() {
        Builder b = toBuilder();
        b.accessKeyId = null;
        b.secretKey = null;
        b.keysElsewhere = true;
        return b.build();
    }

    /** Whether these settings were made by {@link #withoutKeys()}: no S3 client can be built from them. */
    public boolean isKeysElsewhere() {
        return keysElsewhere;
    }

    /**
     * Trims slashes and blanks: {@code "/backups/prod/"} becomes {@code "backups/prod"}; blank means the bucket root.
     *
     * @throws IllegalArgumentException if a segment is empty, "." or "..", which S3 clients treat unevenly
     */
    public static String normalizePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix.trim();
        int start = 0;
        int end = p.length();
        while (start < end && p.charAt(start) == '/') {
            start++;
        }
        while (end > start && p.charAt(end - 1) == '/') {
            end--;
        }
        p = p.substring(start, end);
        if (p.isEmpty()) {
            return p;
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("The prefix '" + prefix + "' has an empty, '.' or '..' segment");
            }
        }
        return p;
    }

    private static String requireBucket(String bucket) {
        if (isBlank(bucket)) {
            throw new IllegalArgumentException("A bucket is required");
        }
        String b = bucket.trim();
        if (b.contains("/")) {
            throw new IllegalArgumentException("The bucket name '" + b + "' must not contain '/'; put folders in the "
                    + "prefix");
        }
        return b;
    }

    private static String normalizeEndpoint(String endpoint, Provider provider) {
        if (isBlank(endpoint)) {
            if (provider != Provider.AMAZON_S3) {
                throw new IllegalArgumentException(provider == Provider.CLOUDFLARE_R2
                        ? "Cloudflare R2 needs its endpoint, https://<account id>.r2.cloudflarestorage.com"
                        : "An S3-compatible server needs its endpoint URL");
            }
            return "";
        }
        String e = endpoint.trim();
        try {
            URI uri = new URI(e);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw new IllegalArgumentException("The endpoint must be an http or https URL, not '" + e + "'");
            }
        } catch (URISyntaxException x) {
            throw new IllegalArgumentException("The endpoint is not a URL: '" + e + "'", x);
        }
        return e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
    }

    private static String defaultRegion(Provider provider) {
        return provider == Provider.CLOUDFLARE_R2 ? R2_REGION : DEFAULT_REGION;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    public Provider getProvider() {
        return provider;
    }

    public String getBucket() {
        return bucket;
    }

    /** Without leading or trailing {@code /}; empty for the bucket root. */
    public String getPrefix() {
        return prefix;
    }

    /** The endpoint override, or empty for Amazon S3's own endpoints. */
    public String getEndpoint() {
        return endpoint;
    }

    public String getRegion() {
        return region;
    }

    /** Whether the bucket goes in the path ({@code https://host/bucket/key}) rather than the host name. */
    public boolean isPathStyle() {
        return pathStyle;
    }

    /** Empty when Amazon S3 should use the SDK's default credential chain (instance profile, environment). */
    public String getAccessKeyId() {
        return accessKeyId;
    }

    /** The secret access key; never log it or put it in a message. */
    public String getSecretKey() {
        return secretKey;
    }

    /**
     * Whether the SDK computes request checksums and validates response checksums only where the operation requires
     * them, as R2 and most S3-compatible servers need: since SDK 2.30 the default adds CRC32 trailers in aws-chunked
     * bodies that those servers reject or store verbatim.
     */
    public boolean isChecksumWhenRequired() {
        return checksumWhenRequired;
    }

    /** "s3://bucket/prefix" for messages. */
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StorageSettings s && s.provider == provider && s.bucket.equals(bucket)
                && s.prefix.equals(prefix) && s.endpoint.equals(endpoint) && s.region.equals(region)
                && s.pathStyle == pathStyle && s.accessKeyId.equals(accessKeyId) && s.secretKey.equals(secretKey)
                && s.checksumWhenRequired == checksumWhenRequired && s.keysElsewhere == keysElsewhere;
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, bucket, prefix, endpoint, region);
    }

    @Override
    public String toString() {
        return provider + " " + location() + (endpoint.isEmpty() ? "" : " at " + endpoint) + " (region " + region
                + (pathStyle ? ", path-style" : "") + (checksumWhenRequired ? ", checksums when required" : "")
                + (keysElsewhere ? ", keys on the controller" : accessKeyId.isEmpty() ? ", default credentials"
                        : ", access key " + accessKeyId) + ")";
    }

    /** Collects settings; unset values take the provider's defaults. */
    public static final class Builder {
        private final Provider provider;
        private String bucket;
        private String prefix;
        private String endpoint;
        private String region;
        private Boolean pathStyle;
        private String accessKeyId;
        private String secretKey;
        private Boolean checksumWhenRequired;
        private boolean keysElsewhere;

        private Builder(Provider provider) {
            this.provider = provider;
        }

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        /** R2: {@code https://<account id>.r2.cloudflarestorage.com}; blank for Amazon S3. */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Blank: {@code auto} for R2, {@code us-east-1} otherwise. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Unset: path-style except for Amazon S3. */
        public Builder pathStyle(Boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        public Builder credentials(String accessKeyId, String secretKey) {
            this.accessKeyId = accessKeyId;
            this.secretKey = secretKey;
            return this;
        }

        /** Unset: on for R2 and S3-compatible servers, off for Amazon S3. */
        public Builder checksumWhenRequired(Boolean checksumWhenRequired) {
            this.checksumWhenRequired = checksumWhenRequired;
            return this;
        }

        /** @throws IllegalArgumentException with a message that says what to fix */
        public StorageSettings build() {
            return new StorageSettings(this);
        }
    }
}
