package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.notify.Notification;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NotificationsTest {

    @Test
    void aBackupMessageCarriesWhatTheIssueAsksFor() {
        Notification n = Notifications.backup(ResultMapsTest.backup(), "nightly #42", "https://ci/job/nightly/42/");
        assertEquals(Notification.Kind.BACKUP, n.kind());
        assertTrue(n.success());
        assertEquals("app", n.database());
        assertEquals("17.6", n.serverVersion());
        assertEquals("pg_dump", n.toolName());
        assertEquals("17.6", n.toolVersion());
        assertEquals("custom", n.format());
        assertEquals("zstd:3", n.compression());
        assertEquals(123456789L, n.sizeBytes());
        assertEquals(Duration.ofMillis(54321), n.duration());
        assertEquals("prod/app/app_20251117_150405.dump", n.objectKey());
        assertEquals("ab".repeat(32), n.sha256());
        assertEquals(1, n.prunedCount());
        assertEquals("nightly #42", n.buildName());
        assertEquals("https://ci/job/nightly/42/", n.buildUrl());
    }

    @Test
    void aRestoreMessageNamesTheToolUsed() {
        Notification n = Notifications.restore(ResultMapsTest.restore(), "restore #1", null);
        assertEquals(Notification.Kind.RESTORE, n.kind());
        assertEquals("app_copy", n.database());
        assertEquals("pg_restore", n.toolName());
        assertEquals("17.6", n.toolVersion());
        assertNull(n.buildUrl());
    }

    @Test
    void aFailureCarriesTheErrorAndTheToolsLastWords() {
        Notification n = Notifications.failed(Notification.Kind.BACKUP, "the database connection 'prod'",
                "pg_dump exited with 1", "pg_dump: error: permission denied for table x", "nightly #43", null);
        assertFalse(n.success());
        assertEquals("pg_dump exited with 1", n.errorMessage());
        assertEquals("pg_dump: error: permission denied for table x", n.stderrTail());
        assertEquals("the database connection 'prod'", n.database());
    }
}
