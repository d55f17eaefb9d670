package io.jenkins.plugins.pgbackup.detection;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import java.util.Optional;

/**
 * Decides which server version a backup works with: a pinned version as is; else a fresh cache entry; else a
 * detection, which is cached. A failed detection is logged as a warning and yields {@link VersionResolution.Source#UNKNOWN},
 * so that the caller uses the newest client it finds rather than a guess.
 */
public final class ServerVersionResolver {
    private final ServerVersionDetector detector;
    private final VersionCache cache;
    private final EngineLog log;

    public ServerVersionResolver(ServerVersionDetector detector, VersionCache cache, EngineLog log) {
        this.detector = detector;
        this.cache = cache;
        this.log = log;
    }

    /**
     * @param pinned the version the user configured, or {@code null} to detect
     */
    public VersionResolution resolve(ConnectionSpec spec, PostgresVersion pinned) {
        return resolve(spec, spec, pinned);
    }

    /**
     * Like {@link #resolve(ConnectionSpec, PostgresVersion)}, for a server reached through another database than the
     * one the version is kept for: a restore's target that does not exist yet is detected through the maintenance
     * database, and its version cached under the target's key, which is the one the next run looks up.
     *
     * @param cacheAs the connection whose key the version is cached and looked up under
     * @param connectTo the connection the detection uses
     */
    public VersionResolution resolve(ConnectionSpec cacheAs, ConnectionSpec connectTo, PostgresVersion pinned) {
        ConnectionSpec spec = cacheAs;
        if (pinned != null) {
            log.info("PostgreSQL server " + spec.serverKey() + ": version " + pinned.majorLabel()
                    + " as configured (not detected)");
            return VersionResolution.pinned(pinned);
        }
        Optional<ServerVersion> cached = cache.get(spec.serverKey());
        if (cached.isPresent()) {
            ServerVersion v = cached.get();
            log.info("PostgreSQL server " + spec.serverKey() + ": " + v.version() + ", detected "
                    + v.detectedAt() + " (cached): " + v.versionText());
            return VersionResolution.of(VersionResolution.Source.CACHED, v);
        }
        return detect(spec, connectTo);
    }

    /**
     * Forgets the cached version and detects again: for the retry after pg_dump reported a server version mismatch.
     */
    public VersionResolution redetect(ConnectionSpec spec) {
        cache.invalidate(spec.serverKey());
        return detect(spec, spec);
    }

    private VersionResolution detect(ConnectionSpec spec, ConnectionSpec connectTo) {
        try {
            ServerVersion v = detector.detect(connectTo);
            cache.put(spec.serverKey(), v);
            log.info("PostgreSQL server " + spec.serverKey() + ": " + v.version() + " (detected): " + v.versionText());
            return VersionResolution.of(VersionResolution.Source.DETECTED, v);
        } catch (VersionDetectionException e) {
            log.warn(e.getMessage() + "; using the newest PostgreSQL client found instead");
            return VersionResolution.unknown(e.getMessage());
        }
    }
}
