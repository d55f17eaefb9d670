package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FreshnessValidationTest {
    @Test
    void anAgeNeedsAStorageTargetAndStaysWithinAYear() {
        assertFalse(FreshnessValidation.maxBackupAge(0, null).isError());
        assertFalse(FreshnessValidation.maxBackupAge(24, "r2").isError());
        assertTrue(FreshnessValidation.maxBackupAge(24, null).isError());
        assertTrue(FreshnessValidation.maxBackupAge(-1, "r2").isError());
        assertTrue(FreshnessValidation.maxBackupAge(FreshnessValidation.MAX_HOURS + 1, "r2").isError());
        assertEquals(FieldCheck.Kind.WARNING, FreshnessValidation.maxBackupAge(0, "r2").kind());
    }

    @Test
    void theStorageTargetMustBeConfigured() {
        assertFalse(FreshnessValidation.storage("r2", 24, List.of("r2", "s3")).isError());
        assertTrue(FreshnessValidation.storage("gone", 24, List.of("r2")).message().contains("'gone'"));
        assertTrue(FreshnessValidation.storage("", 24, List.of("r2")).isError());
        assertFalse(FreshnessValidation.storage("", 0, List.of("r2")).isError());
    }

    @Test
    void aConnectionWithAnAgeButNoStorageIsRefused() {
        DatabaseConnection c = new DatabaseConnection("prod", "db", "app", "pg");
        c.setMaxBackupAgeHours(12);
        assertTrue(c.validate().isError());
        c.setFreshnessStorage("r2");
        assertFalse(c.validate().isError());
        DatabaseConnection same = new DatabaseConnection("prod", "db", "app", "pg");
        same.setMaxBackupAgeHours(12);
        same.setFreshnessStorage("r2");
        assertEquals(c, same);
        same.setMaxBackupAgeHours(13);
        assertFalse(c.equals(same));
    }
}
