package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.verify.VerifyCheck;
import io.jenkins.plugins.pgbackup.verify.VerifyRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values {@code pgBackup} and {@code pgRestore} return to the Pipeline. Plain, serializable JDK types only
 * ({@code String}, {@code Long}, {@code ArrayList}), as the Pipeline keeps them in its program state.
 */
public final class ResultMaps {
    private ResultMaps() {}

    /**
     * {@code key}, {@code bucket}, {@code size}, {@code sha256}, {@code postgresVersion} (the server's major, as in
     * the object's metadata), {@code serverVersion}, {@code pgDumpVersion}, {@code format}, {@code compression},
     * {@code durationMillis}, {@code pruned} (keys retention deleted), and {@code globalsKey} (the cluster's globals
     * stored with the backup, {@code null} without includeGlobals), {@code encrypted} and {@code recipients} (the age
     * recipients' fingerprints, empty when not encrypted).
     */
    public static Map<String, Object> backup(BackupOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", o.key());
        m.put("bucket", o.bucket());
        m.put("size", o.size());
        m.put("sha256", o.sha256());
        m.put("postgresVersion", o.postgresMajor());
        m.put("serverVersion", o.serverVersion());
        m.put("pgDumpVersion", o.pgDumpVersion());
        m.put("format", o.format());
        m.put("compression", o.compression());
        m.put("durationMillis", o.durationMillis());
        m.put("pruned", new ArrayList<>(o.pruned()));
        m.put("globalsKey", o.globalsKey());
        m.put("encrypted", o.encrypted());
        m.put("recipients", new ArrayList<>(o.recipients()));
        return m;
    }

    /**
     * {@code key}, {@code bucket}, {@code database} (restored into), {@code sourceDatabase}, {@code serverVersion}
     * (of the target), {@code tool}, {@code toolVersion}, {@code archiveVersion}, {@code size} (bytes downloaded),
     * {@code durationMillis}; with restoreGlobals also {@code globalsKey}, {@code rolesCreated} and {@code rolesKept}
     * (lists of role names), else {@code globalsKey} is {@code null} and the lists are empty.
     */
    public static Map<String, Object> restore(RestoreOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", o.key());
        m.put("bucket", o.bucket());
        m.put("database", o.database());
        m.put("sourceDatabase", o.sourceDatabase());
        m.put("serverVersion", o.serverVersion());
        m.put("tool", o.tool());
        m.put("toolVersion", o.toolVersion());
        m.put("archiveVersion", o.archiveVersion());
        m.put("size", o.size());
        m.put("durationMillis", o.durationMillis());
        m.put("globalsKey", o.globalsKey());
        m.put("rolesCreated", new ArrayList<>(o.rolesCreated()));
        m.put("rolesKept", new ArrayList<>(o.rolesKept()));
        return m;
    }

    /**
     * {@code passed}, {@code summary}, {@code key}, {@code bucket}, {@code database} (of the backup),
     * {@code scratchDatabase}, {@code server}, {@code durationMillis}, {@code record} (the key of the stored result, or
     * null) and {@code checks}: a list of maps with {@code name}, {@code outcome} (passed, failed, skipped) and
     * {@code detail}.
     */
    public static Map<String, Object> verify(VerifyOutcome o) {
        VerifyRecord r = o.record();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", r.isPassed());
        m.put("summary", r.getSummary());
        m.put("key", r.getKey());
        m.put("bucket", r.getBucket());
        m.put("database", r.getDatabase());
        m.put("scratchDatabase", r.getScratchDatabase());
        m.put("server", r.getServer());
        m.put("durationMillis", r.getDurationMillis());
        m.put("record", o.recordKey());
        ArrayList<Object> checks = new ArrayList<>();
        for (VerifyCheck c : r.getChecks()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", c.name());
            one.put("outcome", c.outcome().id());
            one.put("detail", c.detail());
            checks.add(one);
        }
        m.put("checks", checks);
        return m;
    }
}
