package io.jenkins.plugins.pgbackup.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyRecordTest {
    private static final Instant START = Instant.parse("2026-12-04T12:00:00Z");

    private static VerifyRecord record(List<VerifyCheck> checks) {
        return new VerifyRecord("pg/app/app_20261204_101500.dump", "backups", "app", "20261204_101500",
                "db:5432", "pgverify_app_7", "job/x/7/", START, START.plusMillis(8123), checks);
    }

    @Test
    void aRecordSurvivesItsJson() throws Exception {
        VerifyRecord r = record(List.of(VerifyCheck.passed("restore", "ok"), VerifyCheck.failed("sql[1]", "no"),
                VerifyCheck.skipped("tables", "plain")));

        VerifyRecord back = VerifyRecord.parse(r.toJson(), "here");

        assertEquals(r.getChecks(), back.getChecks());
        assertEquals("failed", back.getOutcome());
        assertEquals(8123, back.getDurationMillis());
        assertEquals("job/x/7/", back.getBuild());
        assertEquals("1 of 3 checks failed: sql[1]", back.getSummary());
        String json = new String(r.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"verify-version\" : 1"), json);
        assertTrue(json.contains("\"outcome\" : \"failed\""), json);
    }

    @Test
    void skippedChecksDoNotFailADrill() {
        VerifyRecord r = record(List.of(VerifyCheck.passed("restore", ""), VerifyCheck.skipped("tables", "")));

        assertTrue(r.isPassed());
        assertEquals("1 check passed, 1 skipped", r.getSummary());
    }

    @Test
    void aNewerVersionOrBrokenJsonIsRefused() {
        IOException newer = assertThrows(IOException.class, () -> VerifyRecord.parse(
                "{\"verify-version\": 2, \"key\": \"k\"}".getBytes(StandardCharsets.UTF_8), "s3://b/k.verify.json"));
        assertTrue(newer.getMessage().contains("verify-version 2"), newer.getMessage());
        assertThrows(IOException.class, () -> VerifyRecord.parse("{".getBytes(StandardCharsets.UTF_8), "x"));
        assertThrows(IOException.class, () -> VerifyRecord.parse("{\"verify-version\": 1}"
                .getBytes(StandardCharsets.UTF_8), "x"));
    }

    @Test
    void theRecordKeyIsNextToTheDump() {
        assertEquals("pg/app/app_20261204_101500.dump.verify.json",
                VerifyRecord.keyFor("pg/app/app_20261204_101500.dump"));
        assertTrue(VerifyRecord.isRecordKey("a.dump.verify.json"));
        assertFalse(VerifyRecord.isRecordKey("a.dump"));
    }
}
