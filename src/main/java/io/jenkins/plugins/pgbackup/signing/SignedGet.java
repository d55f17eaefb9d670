package io.jenkins.plugins.pgbackup.signing;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A presigned GetObject of one key: whoever holds the URL may read that object until it expires, so it is never
 * logged nor put in a message ({@link #toString()} leaves it out).
 *
 * @param key the object key the URL reads
 * @param url the presigned URL (SigV4 query-string authentication)
 * @param expires when the server stops accepting the URL; a GET started before then runs to its end
 */
public record SignedGet(String key, String url, Instant expires) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public SignedGet {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(expires, "expires");
    }

    @Override
    public String toString() {
        return "SignedGet[" + key + ", expires " + expires + "]";
    }
}
