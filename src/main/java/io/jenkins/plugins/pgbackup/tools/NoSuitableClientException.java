package io.jenkins.plugins.pgbackup.tools;

import java.io.IOException;
import java.io.Serial;

/**
 * No installed client fits. The message names what was needed, what was found where, and what to install; it is
 * meant for the user as is.
 */
public final class NoSuitableClientException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    NoSuitableClientException(String message) {
        super(message);
    }
}
