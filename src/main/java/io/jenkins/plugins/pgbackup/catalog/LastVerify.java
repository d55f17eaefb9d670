package io.jenkins.plugins.pgbackup.catalog;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

/**
 * The last restore drill ({@code pgVerify}) of one backup, as its {@code <dump key>.verify.json} record says (see
 * {@link LastVerifyReader}).
 *
 * @param passed whether every check passed
 * @param finished when it ended; may be {@code null}
 * @param summary what it found, one line; may be {@code null}
 * @param build the verifying build's URL relative to Jenkins' root ({@code job/nightly/42/}); may be {@code null}
 */
public record LastVerify(boolean passed, Instant finished, String summary, String build) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
