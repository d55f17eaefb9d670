package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.thoughtworks.xstream.XStream;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.ServerVersion;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionCacheStoreTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-08-21T10:00:00Z");

    private static VersionCacheStore.Entry entry(String key, int num, Instant at) {
        return new VersionCacheStore.Entry(key, num, "PostgreSQL " + num + " on x86_64, \"quoted\" <&>", at.toEpochMilli());
    }

    /** A store's file kept in memory: what each write stored, as the next read gives it back. */
    private static final class Stored implements VersionCacheStore.Persistence {
        List<VersionCacheStore.Entry> entries = List.of();
        int writes;
        IOException failRead;

        @Override
        public List<VersionCacheStore.Entry> read() throws IOException {
            if (failRead != null) {
                throw failRead;
            }
            return entries;
        }

        @Override
        public void write(List<VersionCacheStore.Entry> written) {
            entries = List.copyOf(written);
            writes++;
        }
    }

    @Test
    void survivesARestart() throws IOException {
        Stored file = new Stored();
        VersionCacheStore first = new VersionCacheStore(file);
        first.record(entry("db:5432/app", 170006, T0));
        first.record(entry("other:5433/ünï code", 120022, T0.plusSeconds(5)));

        VersionCacheStore second = new VersionCacheStore(file);
        assertEquals(first.all(), second.all());
        assertEquals(entry("other:5433/ünï code", 120022, T0.plusSeconds(5)), second.get("other:5433/ünï code"));
    }

    @Test
    void anEntryIsFreshOnlyWithinItsTimeToLive() throws IOException {
        VersionCacheStore s = new VersionCacheStore(new Stored());
        s.record(entry("db:5432/app", 170006, T0));
        Duration day = Duration.ofHours(24);
        assertEquals(170006, s.fresh("db:5432/app", day, T0.plus(Duration.ofHours(23))).versionNum());
        assertNull(s.fresh("db:5432/app", day, T0.plus(Duration.ofHours(24))));
        assertNull(s.fresh("db:5432/app", Duration.ZERO, T0), "a zero TTL always detects");
        assertNull(s.fresh("unknown:5432/x", day, T0));
    }

    @Test
    void anOlderDetectionDoesNotReplaceANewerOne() throws IOException {
        Stored file = new Stored();
        VersionCacheStore s = new VersionCacheStore(file);
        s.record(entry("db:5432/app", 170006, T0.plusSeconds(60)));
        s.record(entry("db:5432/app", 160010, T0));
        assertEquals(170006, s.get("db:5432/app").versionNum());
        assertEquals(1, file.writes, "nothing changed, nothing written");
        s.record(entry("db:5432/app", 180000, T0.plusSeconds(120)));
        assertEquals(180000, new VersionCacheStore(file).get("db:5432/app").versionNum());
    }

    @Test
    void forgettingIsPersisted() throws IOException {
        Stored file = new Stored();
        VersionCacheStore s = new VersionCacheStore(file);
        s.record(entry("db:5432/app", 170006, T0));
        s.forget("db:5432/app");
        assertEquals(List.of(), new VersionCacheStore(file).all());
    }

    @Test
    void anUnreadableFileIsAnEmptyCacheNotAFailure() throws IOException {
        Stored file = new Stored();
        file.failRead = new IOException("damaged");
        VersionCacheStore s = new VersionCacheStore(file);
        assertEquals(List.of(), s.all());
        s.record(entry("db:5432/app", 170006, T0));
        assertEquals(1, file.entries.size());
    }

    @Test
    void theFileContentReadsBackThroughXStreamAsJenkinsXmlFileWritesIt() {
        // XmlFile writes with XStream2, a subclass of this XStream; the file names no record types.
        XStream xs = new XStream();
        xs.allowTypes(new Class<?>[] {StoredVersions.class, StoredVersions.Version.class});
        List<VersionCacheStore.Entry> entries = List.of(entry("a:1/a", 170006, T0), entry("b:1/ü", 90624, T0));
        String xml = xs.toXML(new StoredVersions(entries));
        assertFalse(xml.contains("VersionCacheStore"), xml);
        assertEquals(entries, ((StoredVersions) xs.fromXML(xml)).entries());
        String edited = xml.replaceFirst("<server>a:1/a</server>", "");
        assertEquals(List.of(entries.get(1)), ((StoredVersions) xs.fromXML(edited)).entries(),
                "an entry without its server is left out");
    }

    @Test
    void aCacheInTheOldFormatIsReadWithItsDamagedEntriesSkipped() throws IOException {
        Path file = dir.resolve("io.jenkins.plugins.pgbackup.VersionCache.xml");
        Properties p = new Properties();
        p.setProperty("0.server", "a:1/a");
        p.setProperty("0.num", "seventeen");
        p.setProperty("0.text", "x");
        p.setProperty("0.at", "1");
        p.setProperty("1.server", "b:1/b");
        p.setProperty("1.num", "160000");
        p.setProperty("1.text", "PostgreSQL 16.0 <&>");
        p.setProperty("1.at", Long.toString(T0.toEpochMilli()));
        try (OutputStream out = Files.newOutputStream(file)) {
            p.storeToXML(out, "PostgreSQL server versions detected by the PostgreSQL Backup plugin");
        }
        assertEquals(List.of(new VersionCacheStore.Entry("b:1/b", 160000, "PostgreSQL 16.0 <&>", T0.toEpochMilli())),
                LegacyVersionCacheFile.read(file));
        assertEquals(List.of(), LegacyVersionCacheFile.read(dir.resolve("none.xml")));
        Files.writeString(file, "<not properties", StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> LegacyVersionCacheFile.read(file));
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
        VersionCacheStore s = new VersionCacheStore(new Stored());
        s.record(entry("a:5432/x", 160000, T0.plusSeconds(60)));
        s.recordAll(List.of(entry("a:5432/x", 150000, T0), entry("b:5432/y", 170006, T0)));
        assertEquals(160000, s.get("a:5432/x").versionNum());
        assertEquals(170006, s.get("b:5432/y").versionNum());
    }
}
