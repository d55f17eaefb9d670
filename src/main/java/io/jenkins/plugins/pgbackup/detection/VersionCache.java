package io.jenkins.plugins.pgbackup.detection;

import java.io.Serial;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Detected server versions by {@link io.jenkins.plugins.pgbackup.db.ConnectionSpec#serverKey() server key}, fresh
 * for a time to live (24 hours by default). Thread-safe. The Jenkins layer keeps one on the controller, persists its
 * {@link #snapshot()} and ships it to agents with each request.
 */
public final class VersionCache {
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** Agents' clocks may run ahead of the controller's: an entry this far "in the future" still counts. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Map<String, ServerVersion> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    public VersionCache() {
        this(DEFAULT_TTL, Clock.systemUTC());
    }

    public VersionCache(Duration ttl, Clock clock) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative");
        }
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock);
    }

    public Duration ttl() {
        return ttl;
    }

    /** The entry if it is still fresh; a stale one is dropped. A zero TTL disables caching. */
    public Optional<ServerVersion> get(String serverKey) {
        ServerVersion v = entries.get(serverKey);
        if (v == null) {
            return Optional.empty();
        }
        if (!isFresh(v)) {
            entries.remove(serverKey, v);
            return Optional.empty();
        }
        return Optional.of(v);
    }

    public void put(String serverKey, ServerVersion version) {
        entries.put(Objects.requireNonNull(serverKey), Objects.requireNonNull(version));
    }

    public void invalidate(String serverKey) {
        entries.remove(serverKey);
    }

    boolean isFresh(ServerVersion v) {
        Duration age = Duration.between(v.detectedAt(), clock.instant());
        return age.compareTo(ttl) < 0 && age.compareTo(CLOCK_SKEW.negated()) >= 0;
    }

    /** The fresh entries, for persisting or shipping to an agent. */
    public Snapshot snapshot() {
        Map<String, ServerVersion> copy = new HashMap<>();
        entries.forEach((k, v) -> {
            if (isFresh(v)) {
                copy.put(k, v);
            }
        });
        return new Snapshot(copy);
    }

    /** Takes over entries from a snapshot; where both know a server, the later detection wins. */
    public void restore(Snapshot snapshot) {
        snapshot.entries().forEach((key, incoming) -> entries.merge(key, incoming,
                (mine, theirs) -> theirs.detectedAt().isAfter(mine.detectedAt()) ? theirs : mine));
    }

    /** An immutable, serializable copy of a cache's entries. */
    public static final class Snapshot implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final HashMap<String, ServerVersion> entries;

        public Snapshot(Map<String, ServerVersion> entries) {
            this.entries = new HashMap<>(entries);
        }

        public static Snapshot empty() {
            return new Snapshot(Map.of());
        }

        public Map<String, ServerVersion> entries() {
            return Collections.unmodifiableMap(entries);
        }
    }
}
