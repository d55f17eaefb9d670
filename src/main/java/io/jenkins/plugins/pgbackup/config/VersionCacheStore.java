package io.jenkins.plugins.pgbackup.config;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.ServerVersion;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server versions last detected, per server (host, port, database), kept in a file of their own so that they
 * survive restarts like the seed's {@code postgres_version}/{@code version_last_checked} columns, while the
 * configuration (and Configuration as Code) never sees them. Plain Java: where and how the entries are written is a
 * {@link Persistence} ({@link ControllerVersionCache} uses Jenkins' {@code XmlFile}).
 */
public final class VersionCacheStore {

    private static final Logger LOGGER = Logger.getLogger(VersionCacheStore.class.getName());

    /** One detection: what the server said and when. */
    public record Entry(String serverKey, int versionNum, String versionText, long detectedAtMillis)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        public Instant detectedAt() {
            return Instant.ofEpochMilli(detectedAtMillis);
        }

        /** Whether it is still younger than the time to live at {@code now}; a zero TTL never is. */
        public boolean isFresh(Duration ttl, Instant now) {
            return !ttl.isZero() && !ttl.isNegative() && detectedAt().plus(ttl).isAfter(now);
        }
    }

    /** Where the entries live between restarts. */
    public interface Persistence {
        /** Every entry stored; empty when nothing is. */
        List<Entry> read() throws IOException;

        /** Replaces what is stored. */
        void write(List<Entry> entries) throws IOException;
    }

    private final Persistence persistence;
    private final Map<String, Entry> entries = new TreeMap<>();

    /** Reads what is stored; what cannot be read is logged and treated as empty (it is only a cache). */
    public VersionCacheStore(Persistence persistence) {
        this.persistence = persistence;
        load();
    }

    public synchronized Entry get(String serverKey) {
        return entries.get(serverKey);
    }

    /** The entry if it is younger than {@code ttl}, else {@code null}: detect again. */
    public synchronized Entry fresh(String serverKey, Duration ttl, Instant now) {
        Entry e = entries.get(serverKey);
        return e != null && e.isFresh(ttl, now) ? e : null;
    }

    public synchronized List<Entry> all() {
        return new ArrayList<>(entries.values());
    }

    /** Keeps a detection unless a newer one for the same server is already known, and writes the file. */
    public synchronized void record(Entry entry) throws IOException {
        Entry known = entries.get(entry.serverKey());
        if (entry.equals(known) || (known != null && known.detectedAtMillis() > entry.detectedAtMillis())) {
            return;
        }
        entries.put(entry.serverKey(), entry);
        save();
    }

    /** Forgets a server, as after a dump failed with a version mismatch. */
    public synchronized void forget(String serverKey) throws IOException {
        if (entries.remove(serverKey) != null) {
            save();
        }
    }

    /** Records every entry of an engine snapshot (see {@link #record}). */
    public synchronized void recordAll(List<Entry> detected) throws IOException {
        for (Entry e : detected) {
            record(e);
        }
    }

    /** Entries as the engine's cache snapshot; an entry that is not a PostgreSQL version number is left out. */
    public static VersionCache.Snapshot toSnapshot(Collection<Entry> cached) {
        Map<String, ServerVersion> m = new HashMap<>();
        for (Entry e : cached) {
            try {
                m.put(e.serverKey(), new ServerVersion(PostgresVersion.fromVersionNum(e.versionNum()),
                        e.versionText(), e.detectedAt()));
            } catch (IllegalArgumentException ignored) {
                LOGGER.log(Level.FINE, "Not a PostgreSQL version in the cache: {0}", e);
            }
        }
        return new VersionCache.Snapshot(m);
    }

    /** The engine's snapshot as entries, sorted by server. */
    public static List<Entry> fromSnapshot(VersionCache.Snapshot snapshot) {
        List<Entry> out = new ArrayList<>();
        if (snapshot != null) {
            new TreeMap<>(snapshot.entries()).forEach((key, v) -> out.add(new Entry(key, v.version().versionNum(),
                    v.versionText(), v.detectedAt().toEpochMilli())));
        }
        return out;
    }

    private void load() {
        try {
            for (Entry e : persistence.read()) {
                if (e != null && e.serverKey() != null) {
                    entries.put(e.serverKey(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "Ignoring the unreadable PostgreSQL version cache " + persistence, e);
        }
    }

    private void save() throws IOException {
        persistence.write(new ArrayList<>(entries.values()));
    }
}
