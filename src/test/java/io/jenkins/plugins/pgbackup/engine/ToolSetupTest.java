package io.jenkins.plugins.pgbackup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.ServerVersion;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolSetupTest {

    private static final ToolSetup SETUP = ToolSetup.defaults()
            .withTimeout(Duration.ofMinutes(7))
            .withPinnedVersion(PostgresVersion.ofMajor(16))
            .withToolRoots(List.of("/opt/pg"))
            .withToolLocations(ToolLocations.of(List.of(), List.of("/opt/pg"), List.of("/usr/bin")))
            .withCachedVersions(new VersionCache.Snapshot(Map.of("db:5432/app", new ServerVersion(
                    PostgresVersion.fromVersionNum(160004), "PostgreSQL 16.4", Instant.ofEpochSecond(1)))),
                    Duration.ofHours(3));

    @Test
    void theDefaultsAreThirtyMinutesDetectionTheMachinesClientsAndAnEmptyDayLongCache() {
        ToolSetup d = ToolSetup.defaults();
        assertEquals(Duration.ofMinutes(30), d.getTimeout());
        assertNull(d.getPinnedVersion());
        assertEquals(List.of(), d.getToolRoots());
        assertTrue(d.getCachedVersions().entries().isEmpty());
        assertEquals(Duration.ofHours(24), d.getVersionCacheTtl());
    }

    @Test
    void eachChangeIsANewValueAndTheOldOneStaysAsItWas() {
        ToolSetup d = ToolSetup.defaults();
        ToolSetup changed = d.withTimeout(Duration.ofMinutes(1));
        assertEquals(Duration.ofMinutes(30), d.getTimeout());
        assertEquals(Duration.ofMinutes(1), changed.getTimeout());
        assertThrows(IllegalArgumentException.class, () -> d.withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withTimeout(null));
    }

    @Test
    void itTravelsToTheAgentWhole() throws Exception {
        ToolSetup back = roundTrip(SETUP);
        assertEquals(Duration.ofMinutes(7), back.getTimeout());
        assertEquals(16, back.getPinnedVersion().major());
        assertEquals(List.of("/opt/pg"), back.getToolRoots());
        assertEquals(SETUP.toolLocations().candidates("16"), back.toolLocations().candidates("16"));
        assertEquals(160004, back.getCachedVersions().entries().get("db:5432/app").version().versionNum());
        assertEquals(Duration.ofHours(3), back.getVersionCacheTtl());
    }

    @Test
    void bothRequestsHoldTheSameValue() {
        ConnectionSpec spec = new ConnectionSpec("db", 5432, "app", "u", "p");
        StorageSettings storage = StorageSettings.builder(StorageSettings.Provider.AMAZON_S3).bucket("b").build();
        BackupRequest b = BackupRequest.builder(spec, storage).tools(SETUP).build();
        RestoreRequest r = RestoreRequest.builder(spec, storage).key("k").tools(SETUP).build();
        assertSame(SETUP, b.getTools());
        assertSame(SETUP, r.getTools());
        assertEquals(Duration.ofMinutes(7), b.getTimeout());
        assertEquals(Duration.ofMinutes(7), r.getTimeout());
        assertEquals(Duration.ofHours(3), r.getVersionCacheTtl());
    }

    private static ToolSetup roundTrip(ToolSetup s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ToolSetup) in.readObject();
        }
    }
}
