package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.ServerVersion;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionCacheStoreTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-08-21T10:00:00Z");

    private static VersionCacheStore.Entry entry(String key, int num, Instant at) {
        return new VersionCacheStore.Entry(key, num, "PostgreSQL " + num + " on x86_64, \"quoted\" <&>", at.toEpochMilli());
    }

    @Test
    void survivesARestart() throws IOException {
        Path file = dir.resolve("cache.xml");
        VersionCacheStore first = new VersionCacheStore(file);
        first.record(entry("db:5432/app", 170006, T0));
        first.record(entry("other:5433/ünï code", 120022, T0.plusSeconds(5)));

        VersionCacheStore second = new VersionCacheStore(file);
        assertEquals(first.all(), second.all());
        assertEquals(entry("other:5433/ünï code", 120022, T0.plusSeconds(5)), second.get("other:5433/ünï code"));
    }

    @Test
    void anEntryIsFreshOnlyWithinItsTimeToLive() throws IOException {
        VersionCacheStore s = new VersionCacheStore(dir.resolve("c.xml"));
        s.record(entry("db:5432/app", 170006, T0));
        Duration day = Duration.ofHours(24);
        assertEquals(170006, s.fresh("db:5432/app", day, T0.plus(Duration.ofHours(23))).versionNum());
        assertNull(s.fresh("db:5432/app", day, T0.plus(Duration.ofHours(24))));
        assertNull(s.fresh("db:5432/app", Duration.ZERO, T0), "a zero TTL always detects");
        assertNull(s.fresh("unknown:5432/x", day, T0));
    }

    @Test
    void anOlderDetectionDoesNotReplaceANewerOne() throws IOException {
        VersionCacheStore s = new VersionCacheStore(dir.resolve("c.xml"));
        s.record(entry("db:5432/app", 170006, T0.plusSeconds(60)));
        s.record(entry("db:5432/app", 160010, T0));
        assertEquals(170006, s.get("db:5432/app").versionNum());
        s.record(entry("db:5432/app", 180000, T0.plusSeconds(120)));
        assertEquals(180000, new VersionCacheStore(dir.resolve("c.xml")).get("db:5432/app").versionNum());
    }

    @Test
    void forgettingIsPersisted() throws IOException {
        Path file = dir.resolve("c.xml");
        VersionCacheStore s = new VersionCacheStore(file);
        s.record(entry("db:5432/app", 170006, T0));
        s.forget("db:5432/app");
        assertEquals(List.of(), new VersionCacheStore(file).all());
    }

    @Test
    void anUnreadableFileIsAnEmptyCacheNotAFailure() throws IOException {
        Path file = dir.resolve("c.xml");
        Files.writeString(file, "<not properties", StandardCharsets.UTF_8);
        VersionCacheStore s = new VersionCacheStore(file);
        assertEquals(List.of(), s.all());
        s.record(entry("db:5432/app", 170006, T0));
        assertEquals(1, new VersionCacheStore(file).all().size());
    }

    @Test
    void aDamagedEntryIsSkippedAndTheOthersKept() throws IOException {
        Path file = dir.resolve("c.xml");
        new VersionCacheStore(file).record(entry("a:1/a", 170006, T0));
        new VersionCacheStore(file).record(entry("b:1/b", 160000, T0));
        String xml = Files.readString(file, StandardCharsets.UTF_8).replace(">170006<", ">seventeen<");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        List<VersionCacheStore.Entry> left = new VersionCacheStore(file).all();
        assertEquals(1, left.size());
        assertEquals("b:1/b", left.get(0).serverKey());
    }

    @Test
    void writingLeavesNoTemporaryFilesBehind() throws IOException {
        Path file = dir.resolve("sub/c.xml");
        VersionCacheStore s = new VersionCacheStore(file);
        for (int i = 0; i < 5; i++) {
            s.record(entry("db:5432/app" + i, 170006, T0));
        }
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void describesWhatWasDetectedAndWhen() {
        assertEquals(Messages.VersionCache_Never(), ControllerVersionCache.describe(null, ZoneOffset.UTC));
        assertEquals(Messages.VersionCache_Detected("17.6", "2026-08-21 10:00:00 Z"),
                ControllerVersionCache.describe(entry("db:5432/app", 170006, T0), ZoneOffset.UTC));
        assertEquals(Messages.VersionCache_Detected("9.6.24", "2026-08-21 10:00:00 Z"),
                ControllerVersionCache.describe(entry("db:5432/app", 90624, T0), ZoneOffset.UTC));
    }

    @Test
    void convertsToAndFromTheEnginesSnapshot() {
        VersionCacheStore.Entry a = entry("a:5432/x", 170006, T0);
        VersionCacheStore.Entry b = entry("b:5432/y", 90624, T0.plusSeconds(1));
        VersionCacheStore.Entry bogus = new VersionCacheStore.Entry("c:5432/z", 42, "", T0.toEpochMilli());
        VersionCache.Snapshot snapshot = VersionCacheStore.toSnapshot(List.of(a, b, bogus));
        assertEquals(2, snapshot.entries().size(), "a number that is no PostgreSQL version is dropped");
        ServerVersion v = snapshot.entries().get("a:5432/x");
        assertEquals(PostgresVersion.fromVersionNum(170006), v.version());
        assertEquals(T0, v.detectedAt());
        assertEquals(List.of(a, b), VersionCacheStore.fromSnapshot(snapshot));
        assertEquals(List.of(), VersionCacheStore.fromSnapshot(null));
    }

    @Test
    void recordingEverythingTheAgentKnowsKeepsTheNewest() throws IOException {
        VersionCacheStore s = new VersionCacheStore(dir.resolve("c.xml"));
        s.record(entry("a:5432/x", 160000, T0.plusSeconds(60)));
        s.recordAll(List.of(entry("a:5432/x", 150000, T0), entry("b:5432/y", 170006, T0)));
        assertEquals(160000, s.get("a:5432/x").versionNum());
        assertEquals(170006, s.get("b:5432/y").versionNum());
    }
}
