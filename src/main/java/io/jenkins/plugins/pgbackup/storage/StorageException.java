package io.jenkins.plugins.pgbackup.storage;

import java.io.IOException;
import java.io.Serial;

/**
 * A storage operation failed. The message says what was attempted on which object and why it failed, in words a
 * build log reader can act on; it never holds a credential.
 */
public class StorageException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
