package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackupKeysTest {
    private static final Instant WHEN = Instant.parse("2025-11-17T15:04:05Z");

    @Test
    void keyHasPrefixDatabaseAndUtcTimestamp() {
        assertEquals("backups/production/production_20251117_150405.dump",
                BackupKeys.key("/backups/", "production", WHEN, "dump"));
        assertEquals("production/production_20251117_150405.dump", BackupKeys.key("", "production", WHEN, "dump"));
        assertEquals("a/b/x/x_20251117_150405.sql.zst", BackupKeys.key("a/b", "x", WHEN, "sql.zst"));
    }

    @Test
    void extensionFollowsFormatAndCompressionOfPlainDumps() {
        assertEquals("dump", BackupKeys.extension("custom", "zstd:3"));
        assertEquals("tar", BackupKeys.extension("tar", null));
        assertEquals("dir.tar", BackupKeys.extension("directory", "gzip:6"));
        assertEquals("sql", BackupKeys.extension("plain", "none"));
        assertEquals("sql.gz", BackupKeys.extension("plain", "gzip:6"));
        assertEquals("sql.gz", BackupKeys.extension("plain", "6"));
        assertEquals("sql.zst", BackupKeys.extension("plain", "zstd:3"));
        assertEquals("sql.lz4", BackupKeys.extension("plain", "lz4"));
        assertThrows(IllegalArgumentException.class, () -> BackupKeys.extension("zip", null));
        assertThrows(IllegalArgumentException.class, () -> BackupKeys.key("p", "db", WHEN, "exe"));
    }

    @Test
    void safeNamesKeepOnlySafeCharactersAndStayDistinct() {
        List<String> names = List.of("my db", "my_db", "my/db", "my\\db", "données", "donn?es", "日本", "🐘", ".",
                "..", "a..b", "x\ny", "db-1.prod_2");
        Set<String> safe = new HashSet<>();
        for (String n : names) {
            String s = BackupKeys.safeName(n);
            assertTrue(s.matches("[A-Za-z0-9._-]+"), s);
            assertFalse(s.equals(".") || s.equals(".."), s);
            safe.add(s);
        }
        assertEquals(names.size(), safe.size(), "no two names share a folder: " + safe);
        assertEquals("my_db", BackupKeys.safeName("my_db"));
        assertEquals("db-1.prod_2", BackupKeys.safeName("db-1.prod_2"));
        assertTrue(BackupKeys.safeName("my db").startsWith("my_db-"), "still readable");
        assertNotEquals(BackupKeys.safeName("my db"), BackupKeys.safeName("my_db"));
    }

    @Test
    void encryptedBackupsKeepTheirKeyShapeWithAnAgeSuffix() {
        String key = BackupKeys.key("backups", "app", WHEN, "dir.tar" + BackupKeys.AGE_SUFFIX);
        assertEquals("backups/app/app_20251117_150405.dir.tar.age", key);
        assertTrue(BackupKeys.isBackupKey("backups", key), "listed, kept and pruned like any backup");
        assertEquals(WHEN, BackupKeys.timestampOf(key));
        assertThrows(IllegalArgumentException.class, () -> BackupKeys.key("backups", "app", WHEN, "age"));
        assertFalse(BackupKeys.isBackupKey("backups", "backups/app/app_20251117_150405.dump.age.manifest.json"));
    }

    @Test
    void recognisesItsOwnKeysOnly() {
        String key = BackupKeys.key("backups", "my db", WHEN, "sql.gz");
        assertTrue(BackupKeys.isBackupKey("backups", key));
        assertTrue(BackupKeys.isBackupKey("/backups/", key));
        assertFalse(BackupKeys.isBackupKey("other", key));
        assertFalse(BackupKeys.isBackupKey("backups", "backups/db/other_20251117_150405.dump"));
        assertFalse(BackupKeys.isBackupKey("backups", "backups/db/db_2025111_150405.dump"));
        assertFalse(BackupKeys.isBackupKey("backups", "backups/db/db_20251117_150405.dump.bak"));
        assertFalse(BackupKeys.isBackupKey("backups", "backups/db_20251117_150405.dump"));
        assertFalse(BackupKeys.isBackupKey("backups", "backups/a/b/b_20251117_150405.dump"));
    }

    @Test
    void databasePrefixEndsWithASlashSoNamesThatArePrefixesDoNotMix() {
        assertEquals("b/prod/", BackupKeys.databasePrefix("b", "prod"));
        assertFalse(BackupKeys.key("b", "prod2", WHEN, "dump").startsWith(BackupKeys.databasePrefix("b", "prod")));
    }

    @Test
    void aManifestSitsNextToItsDumpAndIsToldApartByItsSuffix() {
        String dump = BackupKeys.key("backups", "my db", WHEN, "sql.zst");
        String manifest = BackupKeys.manifestKey(dump);

        assertEquals(dump + ".manifest.json", manifest);
        assertEquals(dump, BackupKeys.dumpKeyOf(manifest));
        assertTrue(BackupKeys.isManifestKey("backups", manifest));
        assertFalse(BackupKeys.isBackupKey("backups", manifest), "a manifest is never taken for a dump");
        assertFalse(BackupKeys.isManifestKey("backups", dump));
        assertFalse(BackupKeys.isManifestKey("other", manifest));
        assertFalse(BackupKeys.isManifestKey("backups", "backups/x/notes.manifest.json"));
        assertThrows(IllegalArgumentException.class, () -> BackupKeys.dumpKeyOf(dump));
    }

    @Test
    void aVerifyRecordSitsNextToItsDumpAndIsNeitherADumpNorAManifest() {
        String dump = BackupKeys.key("backups", "prod", WHEN, "dump.age");
        String record = BackupKeys.verifyRecordKey(dump);

        assertEquals(dump + ".verify.json", record);
        assertTrue(BackupKeys.isVerifyRecordKey("backups", record));
        assertFalse(BackupKeys.isBackupKey("backups", record));
        assertFalse(BackupKeys.isManifestKey("backups", record));
        assertFalse(BackupKeys.isVerifyRecordKey("backups", dump));
        assertFalse(BackupKeys.isVerifyRecordKey("other", record));
        assertFalse(BackupKeys.isVerifyRecordKey("backups", BackupKeys.manifestKey(dump) + ".verify.json"));
        assertFalse(BackupKeys.isVerifyRecordKey("backups", "backups/x/notes.verify.json"));
    }

    @Test
    void theTimestampOfAKeyIsReadWithoutTheMetadata() {
        assertEquals(WHEN, BackupKeys.timestampOf(BackupKeys.key("b", "prod_20200101_000000", WHEN, "dir.tar")));
        assertEquals(WHEN, BackupKeys.timestampOf(BackupKeys.manifestKey(BackupKeys.key("b", "x", WHEN, "dump"))
                .replace(".manifest.json", "")));
        assertEquals(null, BackupKeys.timestampOf("b/x/notes.txt"));
        assertEquals(null, BackupKeys.timestampOf("b/x/x_20251399_150405.dump"), "no 99th of a 13th month");
    }
}
