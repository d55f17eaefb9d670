package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/**
 * What a HEAD of a stored object says: its size, user metadata and ETag.
 *
 * @param metadata the user metadata, without the {@code x-amz-meta-} prefix
 */
public record ObjectHead(long size, Map<String, String> metadata, String eTag) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public ObjectHead {
        metadata = Map.copyOf(metadata);
    }
}
