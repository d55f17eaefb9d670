package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupMetadataTest {
    private static final Instant WHEN = Instant.parse("2025-11-17T15:04:05.789Z");
    private static final String SHA = "ab".repeat(32);

    private static BackupMetadata full() {
        return BackupMetadata.builder("production", WHEN).backupBy("nightly #12").postgresVersion("17")
                .dumpFormat("custom").serverVersion("17.6").pgDumpVersion("17.6").compression("zstd:3").build()
                .withContent(1234, SHA);
    }

    @Test
    void writesExactlyTheDocumentedKeys() {
        Map<String, String> m = full().toUserMetadata();

        assertEquals(Map.ofEntries(Map.entry("database", "production"), Map.entry("timestamp", "20251117_150405"),
                Map.entry("backup-by", "nightly #12"), Map.entry("postgres-version", "17"),
                Map.entry("dump-format", "custom"), Map.entry("server-version", "17.6"),
                Map.entry("pg-dump-version", "17.6"), Map.entry("compression", "zstd:3"), Map.entry("size", "1234"),
                Map.entry("sha256", SHA), Map.entry("created-by", "jenkins-postgresql-backup")), m);
    }

    @Test
    void encryptionAndRecipientFingerprintsAreWrittenAndReadBackOnlyWhenEncrypted() {
        BackupMetadata encrypted = BackupMetadata.builder("app", Instant.parse("2025-11-17T15:04:05Z"))
                .encryptedWithAge(java.util.List.of("0123456789abcdef", "fedcba9876543210")).build();
        Map<String, String> m = encrypted.toUserMetadata();
        assertEquals("age", m.get(BackupMetadata.ENCRYPTION));
        assertEquals("0123456789abcdef,fedcba9876543210", m.get(BackupMetadata.RECIPIENTS));
        BackupMetadata back = BackupMetadata.fromUserMetadata(m);
        assertTrue(back.isEncrypted());
        assertEquals("0123456789abcdef,fedcba9876543210", back.getRecipients());
        assertEquals(encrypted, BackupMetadata.fromPlainMap(encrypted.toPlainMap()), "the manifest's copy too");
        assertTrue(back.withContent(10, "a".repeat(64)).withoutContent().isEncrypted(), "kept through copies");

        BackupMetadata plain = BackupMetadata.builder("app", Instant.parse("2025-11-17T15:04:05Z")).build();
        assertFalse(plain.isEncrypted());
        assertFalse(plain.toUserMetadata().containsKey(BackupMetadata.ENCRYPTION));
        assertFalse(plain.toUserMetadata().containsKey(BackupMetadata.RECIPIENTS));
    }

    @Test
    void readsBackWhatItWroteWhateverTheKeyCase() {
        Map<String, String> upper = new HashMap<>();
        full().toUserMetadata().forEach((k, v) -> upper.put(k.toUpperCase(java.util.Locale.ROOT), v));

        BackupMetadata read = BackupMetadata.fromUserMetadata(upper);

        assertEquals(full(), read);
        assertEquals(Instant.parse("2025-11-17T15:04:05Z"), read.getTimestamp());
        assertEquals(1234, read.getSize());
        assertTrue(read.isCompleteBackup());
    }

    @Test
    void nonAsciiValuesTravelAsEncodedWordsAndComeBack() {
        BackupMetadata m = BackupMetadata.builder("données 日本 🐘", WHEN).backupBy(" leading space").build();

        Map<String, String> written = m.toUserMetadata();

        written.values().forEach(v -> assertTrue(v.chars().allMatch(c -> c >= 0x20 && c < 0x7f), v));
        assertTrue(written.get("database").startsWith("=?UTF-8?B?"));
        BackupMetadata read = BackupMetadata.fromUserMetadata(written);
        assertEquals("données 日本 🐘", read.getDatabase());
        assertEquals(" leading space", read.getBackupBy());
    }

    @Test
    void decodesTheQEncodingS3UsesForNonAsciiValues() {
        assertEquals("données", BackupMetadata.decode("=?UTF-8?Q?donn=C3=A9es?="));
        assertEquals("a value", BackupMetadata.decode("=?UTF-8?Q?a_value?="));
        assertEquals("=?UTF-8?B?x?=", BackupMetadata.decode(BackupMetadata.encode("=?UTF-8?B?x?=")));
    }

    @Test
    void foreignOrUnfinishedObjectsAreNotCompleteBackups() {
        Map<String, String> m = new HashMap<>(full().toUserMetadata());
        m.remove("created-by");
        assertFalse(BackupMetadata.fromUserMetadata(m).isCompleteBackup());

        Map<String, String> unfinished = new HashMap<>(full().toUserMetadata());
        unfinished.remove("sha256");
        unfinished.remove("size");
        assertFalse(BackupMetadata.fromUserMetadata(unfinished).isCompleteBackup());

        Map<String, String> malformed = new HashMap<>(full().toUserMetadata());
        malformed.put("timestamp", "yesterday");
        malformed.put("sha256", "not-hex");
        BackupMetadata b = BackupMetadata.fromUserMetadata(malformed);
        assertNull(b.getTimestamp());
        assertNull(b.getSha256());
        assertFalse(b.isCompleteBackup());
        assertFalse(BackupMetadata.fromUserMetadata(Map.of()).isCompleteBackup());
    }
}
