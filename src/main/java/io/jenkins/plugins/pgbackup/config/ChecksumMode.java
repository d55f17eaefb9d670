package io.jenkins.plugins.pgbackup.config;

import java.util.Locale;

/**
 * The AWS SDK computes and validates request checksums by default; Cloudflare R2 (and S3Proxy) reject some of them, so
 * the SDK must only send them where an operation requires one ({@code WHEN_REQUIRED}). Other S3-compatible services
 * (S3Proxy, older MinIO and Ceph releases) have the same trouble with the SDK's newer default checksums.
 */
public enum ChecksumMode {
    /** On for Cloudflare R2 and other S3-compatible services, off for Amazon S3. */
    AUTO,
    /** Checksums only where required (R2-compatible). */
    ON,
    /** The SDK's defaults. */
    OFF;

    public String getDisplayName() {
        return switch (this) {
            case AUTO -> Messages.ChecksumMode_AUTO();
            case ON -> Messages.ChecksumMode_ON();
            case OFF -> Messages.ChecksumMode_OFF();
        };
    }

    /** Whether the SDK should compute checksums only where required, for this provider. */
    public boolean whenRequiredOnly(StorageProvider provider) {
        return this == ON || (this == AUTO && provider != StorageProvider.AMAZON_S3);
    }

    public static ChecksumMode fromName(String text) {
        String t = Text.trimToNull(text);
        return t == null ? AUTO : valueOf(t.toUpperCase(Locale.ROOT));
    }
}
