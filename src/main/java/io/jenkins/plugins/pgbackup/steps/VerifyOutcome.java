package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.verify.VerifyRecord;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * What a restore drill found, as the agent reports it back.
 *
 * @param recordKey where the record was stored next to the backup, or {@code null}
 * @param detected the engine's version cache after the drill, to keep on the controller
 */
public record VerifyOutcome(VerifyRecord record, String recordKey, List<VersionCacheStore.Entry> detected)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public VerifyOutcome {
        detected = detected == null ? List.of() : List.copyOf(detected);
    }
}
