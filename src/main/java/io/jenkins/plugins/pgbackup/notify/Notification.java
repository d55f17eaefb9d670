package io.jenkins.plugins.pgbackup.notify;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What happened, for a Discord message: a backup or a restore, its result and what is known of it. Every field but the
 * kind and the result is optional. Text fields are shown as given, so callers pass stderr already sanitized.
 */
public final class Notification implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The operation being reported. */
    public enum Kind {
        BACKUP("Backup", "pg_dump"),
        RESTORE("Restore", "pg_restore"),
        VERIFY("Restore drill", "pg_restore"),
        /** The freshness alarm: failure = backups stopped (stale or missing), success = fresh again. */
        FRESHNESS("Backup freshness", "pg_dump");

        private final String label;
        private final String tool;

        Kind(String label, String tool) {
            this.label = label;
            this.tool = tool;
        }

        /** "Backup", "Restore". */
        public String label() {
            return label;
        }

        /** The client program the operation runs: "pg_dump", "pg_restore". */
        public String tool() {
            return tool;
        }
    }

    private final Kind kind;
    private final boolean success;
    private final String database;
    private final String serverVersion;
    private final String toolName;
    private final String toolVersion;
    private final String format;
    private final String compression;
    private final long sizeBytes;
    private final Duration duration;
    private final String objectKey;
    private final String sha256;
    private final String buildUrl;
    private final String buildName;
    private final String errorMessage;
    private final String stderrTail;
    private final int prunedCount;
    private final Instant finishedAt;

    private Notification(Builder b) {
        this.kind = b.kind;
        this.success = b.success;
        this.database = b.database;
        this.serverVersion = b.serverVersion;
        this.toolName = b.toolName == null ? b.kind.tool() : b.toolName;
        this.toolVersion = b.toolVersion;
        this.format = b.format;
        this.compression = b.compression;
        this.sizeBytes = b.sizeBytes;
        this.duration = b.duration;
        this.objectKey = b.objectKey;
        this.sha256 = b.sha256;
        this.buildUrl = b.buildUrl;
        this.buildName = b.buildName;
        this.errorMessage = b.errorMessage;
        this.stderrTail = b.stderrTail;
        this.prunedCount = b.prunedCount;
        this.finishedAt = b.finishedAt;
    }

    public static Builder builder(Kind kind, boolean success) {
        return new Builder(kind, success);
    }

    public Kind kind() {
        return kind;
    }

    public boolean success() {
        return success;
    }

    public String database() {
        return database;
    }

    public String serverVersion() {
        return serverVersion;
    }

    /** "pg_dump", "pg_restore", or "psql" for a plain restore. */
    public String toolName() {
        return toolName;
    }

    public String toolVersion() {
        return toolVersion;
    }

    public String format() {
        return format;
    }

    public String compression() {
        return compression;
    }

    /** Bytes written or read; -1 when unknown. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** {@code null} when unknown. */
    public Duration duration() {
        return duration;
    }

    public String objectKey() {
        return objectKey;
    }

    public String sha256() {
        return sha256;
    }

    public String buildUrl() {
        return buildUrl;
    }

    public String buildName() {
        return buildName;
    }

    public String errorMessage() {
        return errorMessage;
    }

    /** The end of the tool's standard error, already sanitized by the caller. */
    public String stderrTail() {
        return stderrTail;
    }

    /** Old backups deleted by retention; -1 when retention did not run. */
    public int prunedCount() {
        return prunedCount;
    }

    /** When the operation ended; {@code null} to use the notifier's clock. */
    public Instant finishedAt() {
        return finishedAt;
    }

    /** Fills a notification; blank strings count as absent. */
    public static final class Builder {
        private final Kind kind;
        private final boolean success;
        private String database;
        private String serverVersion;
        private String toolName;
        private String toolVersion;
        private String format;
        private String compression;
        private long sizeBytes = -1;
        private Duration duration;
        private String objectKey;
        private String sha256;
        private String buildUrl;
        private String buildName;
        private String errorMessage;
        private String stderrTail;
        private int prunedCount = -1;
        private Instant finishedAt;

        private Builder(Kind kind, boolean success) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.success = success;
        }

        public Builder database(String value) {
            this.database = blankToNull(value);
            return this;
        }

        public Builder serverVersion(String value) {
            this.serverVersion = blankToNull(value);
            return this;
        }

        /** The client that ran, as "psql" for a plain restore; defaults to the kind's tool. */
        public Builder toolName(String value) {
            this.toolName = blankToNull(value);
            return this;
        }

        public Builder toolVersion(String value) {
            this.toolVersion = blankToNull(value);
            return this;
        }

        public Builder format(String value) {
            this.format = blankToNull(value);
            return this;
        }

        public Builder compression(String value) {
            this.compression = blankToNull(value);
            return this;
        }

        public Builder sizeBytes(long value) {
            this.sizeBytes = value < 0 ? -1 : value;
            return this;
        }

        public Builder duration(Duration value) {
            this.duration = value == null || value.isNegative() ? null : value;
            return this;
        }

        public Builder objectKey(String value) {
            this.objectKey = blankToNull(value);
            return this;
        }

        public Builder sha256(String value) {
            this.sha256 = blankToNull(value);
            return this;
        }

        public Builder buildUrl(String value) {
            this.buildUrl = blankToNull(value);
            return this;
        }

        public Builder buildName(String value) {
            this.buildName = blankToNull(value);
            return this;
        }

        public Builder errorMessage(String value) {
            this.errorMessage = blankToNull(value);
            return this;
        }

        public Builder stderrTail(String value) {
            this.stderrTail = blankToNull(value);
            return this;
        }

        public Builder prunedCount(int value) {
            this.prunedCount = value < 0 ? -1 : value;
            return this;
        }

        public Builder finishedAt(Instant value) {
            this.finishedAt = value;
            return this;
        }

        public Notification build() {
            return new Notification(this);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }
}
