package io.jenkins.plugins.pgbackup.detection;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/** Which server version a backup works with, and where that knowledge came from. */
public final class VersionResolution implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Where the version came from. */
    public enum Source {
        /** The user set it: no detection. */
        PINNED,
        /** Detected earlier and still fresh in the cache. */
        CACHED,
        /** Detected now. */
        DETECTED,
        /** Detection failed: use the newest client available, never a guess. */
        UNKNOWN
    }

    private final Source source;
    private final PostgresVersion version;
    private final String versionText;
    private final String failure;

    private VersionResolution(Source source, PostgresVersion version, String versionText, String failure) {
        this.source = source;
        this.version = version;
        this.versionText = versionText;
        this.failure = failure;
    }

    static VersionResolution pinned(PostgresVersion version) {
        return new VersionResolution(Source.PINNED, Objects.requireNonNull(version), "", "");
    }

    static VersionResolution of(Source source, ServerVersion detected) {
        return new VersionResolution(source, detected.version(), detected.versionText(), "");
    }

    static VersionResolution unknown(String failure) {
        return new VersionResolution(Source.UNKNOWN, null, "", failure);
    }

    public Source source() {
        return source;
    }

    public boolean isKnown() {
        return version != null;
    }

    /** Empty when {@link Source#UNKNOWN}. */
    public Optional<PostgresVersion> version() {
        return Optional.ofNullable(version);
    }

    /** The server's {@code version()} text when detected or cached, else "". */
    public String versionText() {
        return versionText;
    }

    /** Why detection failed (sanitized), when {@link Source#UNKNOWN}; else "". */
    public String failure() {
        return failure;
    }

    @Override
    public String toString() {
        return switch (source) {
            case PINNED -> version + " (pinned)";
            case CACHED -> version + " (cached)";
            case DETECTED -> version + " (detected)";
            case UNKNOWN -> "unknown (" + failure + ")";
        };
    }
}
