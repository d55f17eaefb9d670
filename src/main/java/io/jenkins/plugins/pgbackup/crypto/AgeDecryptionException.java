package io.jenkins.plugins.pgbackup.crypto;

import java.io.IOException;
import java.io.Serial;

/** An age file could not be decrypted: no matching identity, a damaged header, or changed content. */
public final class AgeDecryptionException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    public AgeDecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
