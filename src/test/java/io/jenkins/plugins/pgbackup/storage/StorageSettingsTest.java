package io.jenkins.plugins.pgbackup.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.storage.StorageSettings.Provider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {
    private static final String R2 = "https://0123456789abcdef.r2.cloudflarestorage.com";

    @Test
    void r2DefaultsToRegionAutoPathStyleAndChecksumsWhenRequired() {
        StorageSettings s = StorageSettings.builder(Provider.CLOUDFLARE_R2).endpoint(R2 + "/").bucket("b")
                .credentials("id", "secret").build();

        assertEquals("auto", s.getRegion());
        assertTrue(s.isPathStyle());
        assertTrue(s.isChecksumWhenRequired());
        assertEquals(R2, s.getEndpoint());
    }

    @Test
    void amazonS3DefaultsToVirtualHostsAndTheSdkChecksums() {
        StorageSettings s = StorageSettings.builder(Provider.AMAZON_S3).bucket("b").region("eu-central-1").build();

        assertFalse(s.isPathStyle());
        assertFalse(s.isChecksumWhenRequired());
        assertEquals("", s.getEndpoint());
        assertEquals("", s.getAccessKeyId(), "the SDK's default credential chain");
    }

    @Test
    void prefixLosesItsSlashes() {
        assertEquals("backups/prod", StorageSettings.normalizePrefix(" //backups/prod// "));
        assertEquals("", StorageSettings.normalizePrefix("/"));
        assertEquals("", StorageSettings.normalizePrefix(null));
        assertThrows(IllegalArgumentException.class, () -> StorageSettings.normalizePrefix("a//b"));
        assertThrows(IllegalArgumentException.class, () -> StorageSettings.normalizePrefix("a/../b"));
    }

    @Test
    void refusesWhatCannotWork() {
        assertThrows(IllegalArgumentException.class,
                () -> StorageSettings.builder(Provider.CLOUDFLARE_R2).bucket("b").credentials("i", "s").build());
        assertThrows(IllegalArgumentException.class, () -> StorageSettings.builder(Provider.S3_COMPATIBLE)
                .endpoint("ftp://host").bucket("b").credentials("i", "s").build());
        assertThrows(IllegalArgumentException.class, () -> StorageSettings.builder(Provider.S3_COMPATIBLE)
                .endpoint("http://host").bucket("b").build());
        assertThrows(IllegalArgumentException.class,
                () -> StorageSettings.builder(Provider.AMAZON_S3).bucket("a/b").build());
        assertThrows(IllegalArgumentException.class,
                () -> StorageSettings.builder(Provider.AMAZON_S3).bucket("b").credentials("id", "").build());
    }

    @Test
    void theSecretIsNeverInToStringAndSurvivesSerialization() throws Exception {
        StorageSettings s = StorageSettings.builder(Provider.CLOUDFLARE_R2).endpoint(R2).bucket("b").prefix("p")
                .credentials("AKID", "very-secret-key").build();

        assertFalse(s.toString().contains("very-secret-key"), s.toString());
        assertTrue(s.toString().contains("AKID"));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(s, in.readObject());
        }
    }

    @Test
    void settingsWithoutKeysKeepThePlaceDropTheKeysAndCannotMakeAClient() throws Exception {
        StorageSettings withKeys = StorageSettings.builder(Provider.CLOUDFLARE_R2).endpoint(R2).bucket("b")
                .prefix("p").credentials("AKIDVALUE", "SECRETVALUE").build();
        StorageSettings keyless = withKeys.withoutKeys();

        assertEquals("s3://b/p", keyless.location());
        assertEquals(R2, keyless.getEndpoint());
        assertTrue(keyless.isKeysElsewhere());
        assertFalse(withKeys.isKeysElsewhere());
        assertEquals("", keyless.getAccessKeyId());
        assertEquals("", keyless.getSecretKey());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(keyless);
        }
        String serialized = bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(serialized.contains("AKIDVALUE") || serialized.contains("SECRETVALUE"), serialized);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> S3Clients.create(keyless));
        assertTrue(e.getMessage().contains("controller"), e.getMessage());
        assertTrue(keyless.toString().contains("keys on the controller"), keyless.toString());
    }
}
