package io.jenkins.plugins.pgbackup.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.db.SslMode;
import io.jenkins.plugins.pgbackup.testing.MutableClock;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServerVersionResolverTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-17T15:04:05Z"));
    private final VersionCache cache = new VersionCache(VersionCache.DEFAULT_TTL, clock);
    private final RecordingLog log = new RecordingLog();
    private final ServerVersionResolver resolver =
            new ServerVersionResolver(new ServerVersionDetector(Duration.ofSeconds(10), clock), cache, log);

    @Test
    void aPinnedVersionSkipsDetection() throws Exception {
        // Nothing listens there: any connection attempt would fail.
        VersionResolution r = resolver.resolve(unreachable("Secret-1"), PostgresVersion.parse("9.6"));
        assertEquals(VersionResolution.Source.PINNED, r.source());
        assertEquals("9.6", r.version().orElseThrow().majorLabel());
        assertTrue(log.warnings().isEmpty(), log.all());
        assertTrue(log.all().contains("version 9.6 as configured"), log.all());
    }

    @Test
    void detectsOnceThenServesTheCacheUntilItExpires() {
        PostgresServers.Server server = PostgresServers.get(15);
        VersionResolution first = resolver.resolve(server.spec(), null);
        assertEquals(VersionResolution.Source.DETECTED, first.source());
        assertEquals(15, first.version().orElseThrow().major());
        Instant firstDetection = cache.get(server.spec().serverKey()).orElseThrow().detectedAt();

        clock.advance(Duration.ofHours(23));
        VersionResolution second = resolver.resolve(server.spec(), null);
        assertEquals(VersionResolution.Source.CACHED, second.source());
        assertEquals(first.version(), second.version());
        assertEquals(first.versionText(), second.versionText());
        assertEquals(firstDetection, cache.get(server.spec().serverKey()).orElseThrow().detectedAt());

        clock.advance(Duration.ofHours(1));
        VersionResolution third = resolver.resolve(server.spec(), null);
        assertEquals(VersionResolution.Source.DETECTED, third.source(), "expired after 24 h");
        assertEquals(clock.instant(), cache.get(server.spec().serverKey()).orElseThrow().detectedAt());
    }

    @Test
    void redetectionReplacesAStaleCachedVersionAfterAMismatch() {
        PostgresServers.Server server = PostgresServers.get(18);
        String key = server.spec().serverKey();
        // The server was upgraded since it was last detected.
        cache.put(key, new ServerVersion(PostgresVersion.ofMajor(17), "PostgreSQL 17.0", clock.instant()));
        assertEquals(17, resolver.resolve(server.spec(), null).version().orElseThrow().major());

        VersionResolution again = resolver.redetect(server.spec());
        assertEquals(VersionResolution.Source.DETECTED, again.source());
        assertEquals(18, again.version().orElseThrow().major());
        assertEquals(18, cache.get(key).orElseThrow().version().major());
    }

    @Test
    void aFailedDetectionWarnsAndReportsUnknownRatherThanGuessing() throws Exception {
        ConnectionSpec spec = unreachable("Secret-2");
        VersionResolution r = resolver.resolve(spec, null);
        assertEquals(VersionResolution.Source.UNKNOWN, r.source());
        assertFalse(r.isKnown());
        assertTrue(r.version().isEmpty());
        assertEquals(1, log.warnings().size(), log.all());
        String warning = log.warnings().get(0);
        assertTrue(warning.contains(spec.getHost() + ":" + spec.getPort()), warning);
        assertTrue(warning.contains("using the newest PostgreSQL client found instead"), warning);
        assertFalse(log.all().contains("Secret-2"));
        assertFalse(r.failure().contains("Secret-2"));
        assertFalse(cache.get(spec.serverKey()).isPresent(), "failures are not cached");
    }

    private static ConnectionSpec unreachable(String password) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return new ConnectionSpec("127.0.0.1", port, "prod", "backup", password, SslMode.PREFER, 2);
    }
}
