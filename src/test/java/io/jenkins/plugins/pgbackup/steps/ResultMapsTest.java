package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultMapsTest {

    static BackupOutcome backup() {
        return new BackupOutcome("app", "db:5432/app", "backups", "prod/app/app_20251117_150405.dump", 123456789L,
                "ab".repeat(32), "17.6", "17", "17.6", "/usr/lib/postgresql/17/bin/pg_dump", "custom", "zstd:3",
                54321L, List.of("prod/app/app_20251001_000000.dump"), false,
                List.of(new VersionCacheStore.Entry("db:5432/app", 170006, "PostgreSQL 17.6", 1L)),
                "prod/app/app_20251117_150405.globals.sql", List.of("0123456789abcdef"));
    }

    static RestoreOutcome restore() {
        return new RestoreOutcome("backups", "prod/app/app_20251117_150405.dump", "app", "app_copy",
                "localhost:5432/app_copy", "16.10", "17.6", "pg_restore", "/usr/lib/postgresql/17/bin/pg_restore",
                "17.6", "archive 1.16 needs pg_restore 17 or newer", "1.16", 123456789L, 2345L, List.of(),
                "prod/app/app_20251117_150405.globals.sql", List.of("app_owner"), List.of("postgres"));
    }

    @Test
    void backupReturnsWhatTheIssueLists() {
        Map<String, Object> m = ResultMaps.backup(backup());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("key", "prod/app/app_20251117_150405.dump");
        expected.put("bucket", "backups");
        expected.put("size", 123456789L);
        expected.put("sha256", "ab".repeat(32));
        expected.put("postgresVersion", "17");
        expected.put("serverVersion", "17.6");
        expected.put("pgDumpVersion", "17.6");
        expected.put("format", "custom");
        expected.put("compression", "zstd:3");
        expected.put("durationMillis", 54321L);
        expected.put("pruned", List.of("prod/app/app_20251001_000000.dump"));
        expected.put("globalsKey", "prod/app/app_20251117_150405.globals.sql");
        expected.put("encrypted", true);
        expected.put("recipients", List.of("0123456789abcdef"));
        assertEquals(expected, m);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(m.keySet()), "a stable order for printing");
        assertInstanceOf(ArrayList.class, m.get("pruned"));
    }

    @Test
    void restoreReturnsWhereFromWhereToAndWithWhat() {
        Map<String, Object> m = ResultMaps.restore(restore());
        assertEquals(List.of("key", "bucket", "database", "sourceDatabase", "serverVersion", "tool", "toolVersion",
                "archiveVersion", "size", "durationMillis", "globalsKey", "rolesCreated", "rolesKept"),
                List.copyOf(m.keySet()));
        assertEquals("app_copy", m.get("database"));
        assertEquals("app", m.get("sourceDatabase"));
        assertEquals("pg_restore", m.get("tool"));
        assertEquals("17.6", m.get("toolVersion"));
        assertEquals("1.16", m.get("archiveVersion"));
        assertEquals(123456789L, m.get("size"));
        assertEquals("prod/app/app_20251117_150405.globals.sql", m.get("globalsKey"));
        assertEquals(List.of("app_owner"), m.get("rolesCreated"));
        assertEquals(List.of("postgres"), m.get("rolesKept"));
        assertInstanceOf(ArrayList.class, m.get("rolesCreated"));
    }

    @Test
    void withoutGlobalsTheKeyIsNullAndTheRoleListsEmpty() {
        BackupOutcome b = backup();
        BackupOutcome plain = new BackupOutcome(b.database(), b.server(), b.bucket(), b.key(), b.size(), b.sha256(),
                b.serverVersion(), b.postgresMajor(), b.pgDumpVersion(), b.pgDumpPath(), b.format(), b.compression(),
                b.durationMillis(), b.pruned(), false, b.detected(), null, null);
        assertEquals(null, ResultMaps.backup(plain).get("globalsKey"));
        assertEquals(false, ResultMaps.backup(plain).get("encrypted"));
        assertEquals(List.of(), ResultMaps.backup(plain).get("recipients"));
        assertEquals(true, ResultMaps.backup(plain).containsKey("globalsKey"), "always there, for scripts to test");
        RestoreOutcome r = restore();
        RestoreOutcome none = new RestoreOutcome(r.bucket(), r.key(), r.sourceDatabase(), r.database(), r.server(),
                r.serverVersion(), r.dumpPgDumpVersion(), r.tool(), r.toolPath(), r.toolVersion(), r.toolReason(),
                r.archiveVersion(), r.size(), r.durationMillis(), r.detected(), null, null, null);
        assertEquals(List.of(), ResultMaps.restore(none).get("rolesCreated"));
        assertEquals(null, ResultMaps.restore(none).get("globalsKey"));
    }

    @Test
    void resultsSurviveJavaSerializationAsThePipelineKeepsThem() throws IOException, ClassNotFoundException {
        Map<String, Object> m = ResultMaps.backup(backup());
        assertEquals(m, roundTrip(m));
        assertEquals(backup(), roundTrip(backup()), "outcomes cross from the agent");
        assertEquals(restore(), roundTrip(restore()));
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T o) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
