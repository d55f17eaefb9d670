package io.jenkins.plugins.pgbackup.detection;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A server's version as detected: {@code server_version_num}, the full {@code version()} text, and when. */
public final class ServerVersion implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final PostgresVersion version;
    private final String versionText;
    private final Instant detectedAt;

    public ServerVersion(PostgresVersion version, String versionText, Instant detectedAt) {
        this.version = Objects.requireNonNull(version, "version");
        this.versionText = versionText == null ? "" : versionText;
        this.detectedAt = Objects.requireNonNull(detectedAt, "detectedAt");
    }

    public PostgresVersion version() {
        return version;
    }

    /** What {@code SELECT version()} returned: "PostgreSQL 17.6 (Debian 17.6-1.pgdg12+1) on x86_64-pc-linux-gnu, ...". */
    public String versionText() {
        return versionText;
    }

    public Instant detectedAt() {
        return detectedAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerVersion v && v.version.equals(version) && v.versionText.equals(versionText)
                && v.detectedAt.equals(detectedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, detectedAt);
    }

    @Override
    public String toString() {
        return version + (versionText.isEmpty() ? "" : " (" + versionText + ")");
    }
}
