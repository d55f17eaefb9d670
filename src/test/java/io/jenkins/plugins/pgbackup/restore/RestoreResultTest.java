package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.detection.VersionCache;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreResultTest {
    private static RestoreResult result() {
        return RestoreResult.builder().backup("prod/app/app_20251117_150405.dump", "backups", "app", "20251117_150405",
                        123_456L)
                .target("app_copy", "db.example:5432", "15.8", "detected")
                .dump("custom", "1.16", "zstd", "18.1", "18.1")
                .tool("pg_restore | psql", "18.1", "/usr/lib/postgresql/18/bin/pg_restore", "why")
                .options(true, false, 1, true).filter(true, 1).transfer("streamed after a verification pass")
                .finished(987L, VersionCache.Snapshot.empty()).build();
    }

    @Test
    void theStepGetsPlainValuesOnly() {
        Map<String, Object> m = result().toMap();

        assertEquals(26, m.size(), m.keySet().toString());
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            assertTrue(v == null || v instanceof String || v instanceof Boolean || v instanceof Integer
                    || v instanceof Long, e.getKey() + " is a " + v.getClass());
        }
        assertEquals("prod/app/app_20251117_150405.dump", m.get("key"));
        assertEquals(123_456L, m.get("bytes"));
        assertEquals(true, m.get("transactionTimeoutFiltered"));
        assertEquals("pg_restore | psql", m.get("tool"));
        assertEquals("1.16", m.get("archiveVersion"));
    }

    @Test
    void crossesBackFromTheAgentIntact() throws Exception {
        RestoreResult copy = RestoreRequestTest.roundTrip(result());

        assertEquals(result().toMap(), copy.toMap());
    }
}
