package io.jenkins.plugins.pgbackup.signing;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;

/**
 * A presigned UploadPart request for one part of one multipart upload: the URL (its query carries the signature,
 * which covers the method, the key, the upload id and the part number), the headers that were signed and must be
 * sent as they are (none but {@code Host} for a part), and when it expires.
 */
public record PartUrl(int partNumber, String url, Map<String, String> headers, Instant expires)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public PartUrl {
        headers = Map.copyOf(headers);
    }

    /** Without the URL, whose query is a credential for the part while it lives. */
    @Override
    public String toString() {
        return "presigned part " + partNumber + " (expires " + expires + ")";
    }
}
