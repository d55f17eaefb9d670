package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupManifestTest {
    private static final Instant WHEN = Instant.parse("2025-11-17T15:04:05Z");
    private static final String KEY = "backups/données/x_20251117_150405.dump";
    private static final String SHA = "0123456789abcdef".repeat(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BackupMetadata metadata() {
        return BackupMetadata.builder("données \"prod\"", WHEN).backupBy("jenkins:folder/job#42").postgresVersion("17")
                .dumpFormat("custom").serverVersion("17.6").pgDumpVersion("17.6").compression("zstd:3").build();
    }

    private static BackupManifest manifest() {
        return BackupManifest.builder(KEY, metadata(), 278_512_345L, SHA, "\"5d41402abc4b2a76b9719d911017c592-17\"")
                .parts(17, 16L << 20).upload(WHEN.plusMillis(120), WHEN.plusMillis(14_870)).build();
    }

    @Test
    void writesTheDocumentedFieldsAndReadsThemBack() throws Exception {
        byte[] json = manifest().toJson();
        JsonNode n = JSON.readTree(json);

        assertEquals(List.of("manifest-version", "key", "size", "sha256", "etag", "parts", "part-size",
                "upload-started", "upload-finished", "duration-millis", "metadata"), fieldNames(n));
        assertEquals(1, n.get("manifest-version").intValue());
        assertEquals("5d41402abc4b2a76b9719d911017c592-17", n.get("etag").asText(), "without quotes");
        assertEquals(14_750, n.get("duration-millis").longValue());
        assertEquals("données \"prod\"", n.get("metadata").get("database").asText(), "plain text, not encoded");
        assertEquals("20251117_150405", n.get("metadata").get("timestamp").asText());
        assertFalse(n.get("metadata").has("sha256") || n.get("metadata").has("size"), "fields of their own");

        BackupManifest read = BackupManifest.parse(json, "here");
        assertEquals(manifest(), read);
        assertEquals(metadata(), read.getMetadata());
        assertEquals(metadata().withContent(278_512_345L, SHA), read.completeMetadata());
        assertTrue(read.completeMetadata().isCompleteBackup());
    }

    @Test
    void unknownFieldsAreIgnoredAndANewerVersionIsRefused() throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree(manifest().toJson());
        n.put("something-new", "x");
        ((ObjectNode) n.get("metadata")).put("future-key", "y");
        assertEquals(manifest(), BackupManifest.parse(JSON.writeValueAsBytes(n), "here"));

        n.put("manifest-version", 2);
        UnusableManifestException e = assertThrows(UnusableManifestException.class,
                () -> BackupManifest.parse(JSON.writeValueAsBytes(n), "s3://b/k.manifest.json"));
        assertTrue(e.getMessage().startsWith("s3://b/k.manifest.json is not a usable backup manifest: it has "
                + "manifest-version 2, and this version of the plugin reads up to 1; update the plugin"),
                e.getMessage());
    }

    @Test
    void refusesWhatIsNotACompleteManifest() throws Exception {
        for (String field : List.of("key", "size", "sha256", "etag", "metadata", "manifest-version")) {
            ObjectNode n = (ObjectNode) JSON.readTree(manifest().toJson());
            n.remove(field);
            assertThrows(UnusableManifestException.class, () -> BackupManifest.parse(JSON.writeValueAsBytes(n), "x"),
                    "without " + field);
        }
        ObjectNode badSha = (ObjectNode) JSON.readTree(manifest().toJson());
        badSha.put("sha256", "ABC");
        assertThrows(UnusableManifestException.class, () -> BackupManifest.parse(JSON.writeValueAsBytes(badSha), "x"));
        ObjectNode foreign = (ObjectNode) JSON.readTree(manifest().toJson());
        ((ObjectNode) foreign.get("metadata")).remove("created-by");
        assertThrows(UnusableManifestException.class, () -> BackupManifest.parse(JSON.writeValueAsBytes(foreign), "x"));
        assertThrows(UnusableManifestException.class,
                () -> BackupManifest.parse("not json".getBytes(StandardCharsets.UTF_8), "x"));
        assertThrows(UnusableManifestException.class,
                () -> BackupManifest.parse("[1]".getBytes(StandardCharsets.UTF_8), "x"));
    }

    @Test
    void agreesOnlyWithTheObjectOfItsKeySizeAndETag() {
        BackupManifest m = manifest();

        assertNull(m.disagreement(KEY, 278_512_345L, "\"5d41402abc4b2a76b9719d911017c592-17\""));
        assertNull(m.disagreement(KEY, 278_512_345L, "5d41402abc4b2a76b9719d911017c592-17"));
        assertTrue(m.disagreement(KEY, 278_512_344L, "\"5d41402abc4b2a76b9719d911017c592-17\"")
                .contains("holds 278512344 bytes, but its manifest records 278512345"));
        assertTrue(m.disagreement(KEY, 278_512_345L, "\"aaaa\"").contains("ETag is aaaa"));
        assertTrue(m.disagreement(KEY + ".copy", 278_512_345L, "\"5d41402abc4b2a76b9719d911017c592-17\"")
                .contains("the manifest is for " + KEY));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
