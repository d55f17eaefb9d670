package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key and the metadata of the globals stored with a dump. */
class GlobalsKeysTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "backups/prod/prod_20251117_150405.dump, backups/prod/prod_20251117_150405.globals.sql",
        "backups/prod/prod_20251117_150405.dir.tar, backups/prod/prod_20251117_150405.globals.sql",
        "prod/prod_20251117_150405.tar, prod/prod_20251117_150405.globals.sql",
        "p/prod/prod_20251117_150405.sql.zst, p/prod/prod_20251117_150405.globals.sql",
        "p/prod/prod_20251117_150405.sql, p/prod/prod_20251117_150405.globals.sql",
        "p/prod/prod_20251117_150405.dump.age, p/prod/prod_20251117_150405.globals.sql.age",
        "p/prod/prod_20251117_150405.dir.tar.age, p/prod/prod_20251117_150405.globals.sql.age"})
    void theGlobalsKeyIsTheDumpsNameWithGlobalsSqlForItsExtension(String dump, String globals) {
        assertEquals(globals, BackupKeys.globalsKey(dump));
    }

    @Test
    void aGlobalsKeyNeverHasTheShapeOfABackupKey() {
        String dump = BackupKeys.key("backups", "prod", Instant.parse("2025-11-17T15:04:05Z"), "dump");
        assertTrue(BackupKeys.isBackupKey("backups", dump));
        assertFalse(BackupKeys.isBackupKey("backups", BackupKeys.globalsKey(dump)));
    }

    @Test
    void theGlobalsKeyOfAnEncryptedDumpNeverHasTheShapeOfABackupKeyEither() {
        String dump = BackupKeys.key("backups", "prod", Instant.parse("2025-11-17T15:04:05Z"),
                "dump" + BackupKeys.AGE_SUFFIX);
        assertTrue(BackupKeys.isBackupKey("backups", dump));
        assertFalse(BackupKeys.isBackupKey("backups", BackupKeys.globalsKey(dump)));
    }

    @Test
    void aGlobalsKeyIsRecognisedByItsShapeAndNamesItsDumpsStem() {
        for (String ext : new String[] {"dump", "dump.age", "sql.zst", "dir.tar.age"}) {
            String dump = BackupKeys.key("backups", "prod", Instant.parse("2025-11-17T15:04:05Z"), ext);
            String globals = BackupKeys.globalsKey(dump);
            assertTrue(BackupKeys.isGlobalsKey("backups", globals), globals);
            assertEquals(BackupKeys.stemOf(dump), BackupKeys.stemOfGlobals(globals));
            assertFalse(BackupKeys.isGlobalsKey("backups", dump), dump);
            assertNull(BackupKeys.stemOfGlobals(dump));
        }
        assertFalse(BackupKeys.isGlobalsKey("backups", "backups/prod/notes.globals.sql"));
        assertFalse(BackupKeys.isGlobalsKey("other", "backups/prod/prod_20251117_150405.globals.sql"));
    }

    @Test
    void onlyBackupKeysHaveGlobalsKeys() {
        assertThrows(IllegalArgumentException.class, () -> BackupKeys.globalsKey("backups/prod/notes.txt"));
    }

    @Test
    void theKindMarkerRoundTripsThroughUserMetadataAndDumpsHaveNone() {
        Instant t = Instant.parse("2025-11-17T15:04:05Z");
        BackupMetadata globals = BackupMetadata.builder("prod", t).kind(BackupMetadata.KIND_GLOBALS).build()
                .withContent(10, "a".repeat(64));
        Map<String, String> sent = globals.toUserMetadata();
        assertEquals("globals", sent.get("kind"));
        BackupMetadata read = BackupMetadata.fromUserMetadata(sent);
        assertTrue(read.isGlobals());
        assertTrue(read.isCompleteBackup(), "complete as an object; the catalog tells it from a dump by its kind");

        BackupMetadata dump = BackupMetadata.builder("prod", t).build();
        assertFalse(dump.toUserMetadata().containsKey("kind"));
        assertNull(BackupMetadata.fromUserMetadata(dump.toUserMetadata()).getKind());
        assertFalse(dump.isGlobals());
    }
}
