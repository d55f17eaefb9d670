package io.jenkins.plugins.pgbackup.engine;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and how the PostgreSQL clients run, alike for backups and restores: how long they may run, the server version
 * when it is pinned, where the clients are looked for, and what the controller already knows about server versions.
 * Immutable and serializable: it travels with a request to the agent, where the {@link ProcessStarter} is added (it
 * does not travel).
 */
public final class ToolSetup implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_VERSION_CACHE_TTL = VersionCache.DEFAULT_TTL;

    private static final ToolSetup DEFAULTS = new ToolSetup(DEFAULT_TIMEOUT, null, List.of(), null,
            VersionCache.Snapshot.empty(), DEFAULT_VERSION_CACHE_TTL);

    private final Duration timeout;
    private final PostgresVersion pinnedVersion;
    private final ArrayList<String> toolRoots;
    private final ToolLocations toolLocations;
    private final VersionCache.Snapshot cachedVersions;
    private final Duration versionCacheTtl;
    /** Set where the engine runs; {@code null} (also after deserialization) for this machine's own processes. */
    private final transient ProcessStarter starter;

    private ToolSetup(Duration timeout, PostgresVersion pinnedVersion, List<String> toolRoots,
            ToolLocations toolLocations, VersionCache.Snapshot cachedVersions, Duration versionCacheTtl) {
        this(timeout, pinnedVersion, toolRoots, toolLocations, cachedVersions, versionCacheTtl, null);
    }

    private ToolSetup(Duration timeout, PostgresVersion pinnedVersion, List<String> toolRoots,
            ToolLocations toolLocations, VersionCache.Snapshot cachedVersions, Duration versionCacheTtl,
            ProcessStarter starter) {
        this.starter = starter;
        this.timeout = timeout;
        this.pinnedVersion = pinnedVersion;
        this.toolRoots = new ArrayList<>(toolRoots);
        this.toolLocations = toolLocations;
        this.cachedVersions = cachedVersions;
        this.versionCacheTtl = versionCacheTtl;
    }

    /** A 30 minute timeout, detection, the machine's own clients, an empty cache kept for 24 hours. */
    public static ToolSetup defaults() {
        return DEFAULTS;
    }

    /** @throws IllegalArgumentException unless positive */
    public ToolSetup withTimeout(Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
        return new ToolSetup(value, pinnedVersion, toolRoots, toolLocations, cachedVersions, versionCacheTtl, starter);
    }

    /** The server's version as configured, or {@code null} to detect it. */
    public ToolSetup withPinnedVersion(PostgresVersion value) {
        return new ToolSetup(timeout, value, toolRoots, toolLocations, cachedVersions, versionCacheTtl, starter);
    }

    /** The configured directories that hold clients, searched as well as the well-known ones. */
    public ToolSetup withToolRoots(List<String> value) {
        return new ToolSetup(timeout, pinnedVersion, value == null ? List.of() : value, toolLocations, cachedVersions,
                versionCacheTtl, starter);
    }

    /** Explicit tool locations instead of the defaults of the machine that runs the tools; {@code null} for those. */
    public ToolSetup withToolLocations(ToolLocations value) {
        return new ToolSetup(timeout, pinnedVersion, toolRoots, value, cachedVersions, versionCacheTtl, starter);
    }

    /** Known server versions and how long one stays fresh; {@code null}s give an empty cache and 24 hours. */
    public ToolSetup withCachedVersions(VersionCache.Snapshot value, Duration ttl) {
        return new ToolSetup(timeout, pinnedVersion, toolRoots, toolLocations,
                value == null ? VersionCache.Snapshot.empty() : value, ttl == null ? DEFAULT_VERSION_CACHE_TTL : ttl,
                starter);
    }

    /**
     * How the clients start: in a container when a build step runs inside one; {@code null} for this machine's own
     * processes.
     */
    public ToolSetup withStarter(ProcessStarter value) {
        return new ToolSetup(timeout, pinnedVersion, toolRoots, toolLocations, cachedVersions, versionCacheTtl, value);
    }

    /** How the clients start; {@link ProcessStarter#local()} unless {@link #withStarter} said otherwise. */
    public ProcessStarter starter() {
        return starter == null ? ProcessStarter.local() : starter;
    }

    /** The longest one client program (and the streaming of its output) may run. */
    public Duration getTimeout() {
        return timeout;
    }

    public PostgresVersion getPinnedVersion() {
        return pinnedVersion;
    }

    public List<String> getToolRoots() {
        return List.copyOf(toolRoots);
    }

    /**
     * Where to look for the clients: the explicit locations, or the defaults of the machine that runs them (its
     * well-known directories and PATH) with {@link #getToolRoots()}, computed there.
     */
    public ToolLocations toolLocations() {
        return toolLocations != null ? toolLocations : ToolLocations.defaults(toolRoots);
    }

    public VersionCache.Snapshot getCachedVersions() {
        return cachedVersions;
    }

    public Duration getVersionCacheTtl() {
        return versionCacheTtl;
    }
}
