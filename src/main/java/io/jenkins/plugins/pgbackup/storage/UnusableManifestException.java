package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;

/**
 * What is at a manifest's key cannot be read as a manifest: not JSON, a required field missing, or a
 * {@code manifest-version} newer than this plugin reads. The backup it belongs to is not complete for this version.
 */
public final class UnusableManifestException extends StorageException {
    @Serial
    private static final long serialVersionUID = 1L;

    public UnusableManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
