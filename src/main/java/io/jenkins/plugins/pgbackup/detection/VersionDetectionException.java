package io.jenkins.plugins.pgbackup.detection;

import java.io.IOException;
import java.io.Serial;

/** The server's version could not be read. The message names the server, never the password. */
public final class VersionDetectionException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    VersionDetectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
