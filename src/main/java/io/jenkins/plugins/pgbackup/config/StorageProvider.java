package io.jenkins.plugins.pgbackup.config;

import java.util.Locale;

/** Where a storage target lives; it decides the defaults for endpoint, region and checksums. */
public enum StorageProvider {
    AMAZON_S3, CLOUDFLARE_R2, S3_COMPATIBLE;

    public String getDisplayName() {
        return switch (this) {
            case AMAZON_S3 -> Messages.StorageProvider_AMAZON_S3();
            case CLOUDFLARE_R2 -> Messages.StorageProvider_CLOUDFLARE_R2();
            case S3_COMPATIBLE -> Messages.StorageProvider_S3_COMPATIBLE();
        };
    }

    /** Blank means Amazon S3; the names are accepted in any case. */
    public static StorageProvider fromName(String text) {
        String t = Text.trimToNull(text);
        return t == null ? AMAZON_S3 : valueOf(t.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /**
     * For inline storage in a step, which names no provider: Amazon S3 without an endpoint, R2 for its endpoints,
     * any other endpoint is S3-compatible.
     */
    public static StorageProvider inferFromEndpoint(String endpoint) {
        String e = Text.trimToNull(endpoint);
        if (e == null) {
            return AMAZON_S3;
        }
        return e.toLowerCase(Locale.ROOT).contains(".r2.cloudflarestorage.com") ? CLOUDFLARE_R2 : S3_COMPATIBLE;
    }
}
