package io.jenkins.plugins.pgbackup.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScratchDatabasesTest {
    @Test
    void theDefaultNameIsAValidLowerCaseIdentifierOfAtMost63Bytes() {
        assertEquals("pgverify_app_42", ScratchDatabases.defaultName("app", "42"));
        assertEquals("pgverify_my_db__sterreich_7", ScratchDatabases.defaultName("My-DB.Österreich", "7"));
        String longName = ScratchDatabases.defaultName("x".repeat(100), "12345");
        assertEquals(63, longName.getBytes(StandardCharsets.UTF_8).length);
        assertEquals("pgverify_app", ScratchDatabases.defaultName("app", null));
    }

    @Test
    void givenNamesMustFitAndMustNotBeASystemDatabase() {
        assertTrue(ScratchDatabases.problem("pgverify_ok").isEmpty());
        assertTrue(ScratchDatabases.problem("é".repeat(32)).isPresent());
        assertTrue(ScratchDatabases.problem("postgres").isPresent());
        assertTrue(ScratchDatabases.problem(" ").isPresent());
    }

    @Test
    void onlyPgVerifysOwnMarkerGivesACreationTime() {
        Instant t = Instant.parse("2026-12-04T10:00:00Z");
        assertEquals(Optional.of(t), ScratchDatabases.createdAt(ScratchDatabases.marker(t)));
        assertEquals(Optional.empty(), ScratchDatabases.createdAt("created 2026-12-04T10:00:00Z"));
        assertEquals(Optional.empty(), ScratchDatabases.createdAt(ScratchDatabases.MARKER + "yesterday"));
        assertEquals(Optional.empty(), ScratchDatabases.createdAt(null));
    }
}
