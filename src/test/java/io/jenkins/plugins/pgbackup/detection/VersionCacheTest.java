package io.jenkins.plugins.pgbackup.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionCacheTest {
    private static final String KEY = "db.example:5432/prod";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-17T15:04:05Z"));
    private final VersionCache cache = new VersionCache(VersionCache.DEFAULT_TTL, clock);

    private ServerVersion detectedNow(int major) {
        return new ServerVersion(PostgresVersion.ofMajor(major), "PostgreSQL " + major + ".0", clock.instant());
    }

    @Test
    void aFreshEntryIsAHit() {
        ServerVersion v = detectedNow(17);
        cache.put(KEY, v);
        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertEquals(Optional.of(v), cache.get(KEY));
        assertEquals(Optional.empty(), cache.get("db.example:5432/other"), "per server key");
    }

    @Test
    void anEntryExpiresAfterItsTimeToLive() {
        cache.put(KEY, detectedNow(17));
        clock.advance(Duration.ofHours(24));
        assertEquals(Optional.empty(), cache.get(KEY));
        assertTrue(cache.snapshot().entries().isEmpty(), "stale entries are not shipped");
    }

    @Test
    void theTimeToLiveIsConfigurable() {
        VersionCache hourly = new VersionCache(Duration.ofHours(1), clock);
        hourly.put(KEY, detectedNow(16));
        clock.advance(Duration.ofMinutes(61));
        assertFalse(hourly.get(KEY).isPresent());
        VersionCache off = new VersionCache(Duration.ZERO, clock);
        off.put(KEY, detectedNow(16));
        assertFalse(off.get(KEY).isPresent(), "a zero TTL disables caching");
    }

    @Test
    void invalidateForgetsAServer() {
        cache.put(KEY, detectedNow(17));
        cache.invalidate(KEY);
        assertFalse(cache.get(KEY).isPresent());
    }

    @Test
    void anEntryFromAClockFarAheadIsNotTrusted() {
        cache.put(KEY, new ServerVersion(PostgresVersion.ofMajor(17), "", clock.instant().plus(Duration.ofHours(2))));
        assertFalse(cache.get(KEY).isPresent());
    }

    @Test
    void aSnapshotSurvivesSerializationAndRestoresIntoAnotherCache() throws Exception {
        ServerVersion v = detectedNow(15);
        cache.put(KEY, v);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(cache.snapshot());
        }
        VersionCache.Snapshot shipped;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            shipped = (VersionCache.Snapshot) in.readObject();
        }
        VersionCache onAgent = new VersionCache(VersionCache.DEFAULT_TTL, clock);
        onAgent.restore(shipped);
        assertEquals(Optional.of(v), onAgent.get(KEY));
        assertEquals("PostgreSQL 15.0", onAgent.get(KEY).orElseThrow().versionText());
    }

    @Test
    void restoringKeepsTheLaterDetection() {
        ServerVersion older = detectedNow(16);
        clock.advance(Duration.ofHours(1));
        ServerVersion newer = detectedNow(17);
        cache.put(KEY, newer);
        cache.restore(new VersionCache.Snapshot(Map.of(KEY, older)));
        assertEquals(Optional.of(newer), cache.get(KEY));
        VersionCache other = new VersionCache(VersionCache.DEFAULT_TTL, clock);
        other.put(KEY, older);
        other.restore(cache.snapshot());
        assertEquals(Optional.of(newer), other.get(KEY));
    }
}
