package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;
import java.io.Serializable;

/** A part of a multipart upload as CompleteMultipartUpload needs it: its number and the ETag its upload answered. */
public record UploadedPart(int partNumber, String eTag) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
