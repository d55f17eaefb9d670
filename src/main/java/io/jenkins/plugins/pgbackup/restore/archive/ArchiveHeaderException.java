package io.jenkins.plugins.pgbackup.restore.archive;

import java.io.IOException;
import java.io.Serial;

/**
 * The stream is not a dump this plugin can restore, or it ends before its header does. The message says what was
 * found and is fit for the user; it never quotes more than a few bytes of the content.
 */
public class ArchiveHeaderException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    public ArchiveHeaderException(String message) {
        super(message);
    }
}
