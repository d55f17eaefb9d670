package io.jenkins.plugins.pgbackup.verify;

import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.restore.RestoreResult;
import java.io.Serial;
import java.io.Serializable;

/**
 * What a restore drill found: its record (the checks), the restore's own result when the restore succeeded, and
 * where the record was stored.
 */
public final class VerifyResult implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final VerifyRecord record;
    private final RestoreResult restore;
    private final String recordKey;
    private final VersionCache.Snapshot versions;

    VerifyResult(VerifyRecord record, RestoreResult restore, String recordKey, VersionCache.Snapshot versions) {
        this.record = record;
        this.restore = restore;
        this.recordKey = recordKey;
        this.versions = versions;
    }

    public VerifyRecord getRecord() {
        return record;
    }

    public boolean isPassed() {
        return record.isPassed();
    }

    /** The restore's result, or {@code null} when the restore failed. */
    public RestoreResult getRestore() {
        return restore;
    }

    /** The key of {@code <dump key>.verify.json}, or {@code null} when it was not written. */
    public String getRecordKey() {
        return recordKey;
    }

    /** The version cache after the drill, for the controller to keep. */
    public VersionCache.Snapshot getVersions() {
        return versions;
    }

    @Override
    public String toString() {
        return record.toString();
    }
}
