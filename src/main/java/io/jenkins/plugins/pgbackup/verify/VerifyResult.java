package io.jenkins.plugins.pgbackup.verify;

import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.restore.RestoreResult;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * The step's return value: {@code passed}, {@code summary}, {@code key}, {@code bucket}, {@code database},
     * {@code scratchDatabase}, {@code server}, {@code durationMillis}, {@code record} (the record's key or null), and
     * {@code checks}: a list of maps with {@code name}, {@code outcome} ("passed", "failed", "skipped"),
     * {@code detail}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", record.isPassed());
        m.put("summary", record.getSummary());
        m.put("key", record.getKey());
        m.put("bucket", record.getBucket());
        m.put("database", record.getDatabase());
        m.put("scratchDatabase", record.getScratchDatabase());
        m.put("server", record.getServer());
        m.put("durationMillis", record.getDurationMillis());
        m.put("record", recordKey);
        List<Object> checks = new ArrayList<>();
        for (VerifyCheck c : record.getChecks()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", c.name());
            one.put("outcome", c.outcome().id());
            one.put("detail", c.detail());
            checks.add(one);
        }
        m.put("checks", checks);
        return m;
    }

    @Override
    public String toString() {
        return record.toString();
    }
}
