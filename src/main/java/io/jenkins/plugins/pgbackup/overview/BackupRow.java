package io.jenkins.plugins.pgbackup.overview;

import java.io.Serial;
import java.io.Serializable;

/**
 * One database in one storage target, as the backups page shows it: plain strings, already formatted, {@code null}
 * where unknown. Getter names avoid JEXL keywords ({@code size}, {@code empty}, ...), so views can call them as
 * properties.
 */
public final class BackupRow implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    String database;
    String folder;
    String key;
    String madeAt;
    String madeAtExact;
    String age;
    String sizeText;
    long sizeBytes = -1;
    String postgresVersion;
    String serverVersion;
    String format;
    String compression;
    String sha256;
    String backupBy;
    String buildUrl;
    String buildLabel;
    String verifyState = "NONE";
    String verifyText;
    String verifySummary;
    String verifyAge;
    String verifyAtExact;
    String verifyUrl;
    int stored;
    String freshness = "NOT_WATCHED";
    String freshnessDetail;
    String restoreSnippet;
    String problem;

    BackupRow() {}

    public String getDatabase() {
        return database;
    }

    /** The folder name in keys. */
    public String getFolder() {
        return folder;
    }

    /** The newest complete backup's key; {@code null} when there is none. */
    public String getKey() {
        return key;
    }

    public boolean isHasBackup() {
        return key != null;
    }

    /** The backup's timestamp, UTC, ISO-8601. */
    public String getMadeAt() {
        return madeAt;
    }

    /** The backup's timestamp for people, "2026-12-06 11:14:46 UTC" (shown on hover over the age). */
    public String getMadeAtExact() {
        return madeAtExact;
    }

    /** "5 h 12 min". */
    public String getAge() {
        return age;
    }

    /** "1.2 GB". */
    public String getSizeText() {
        return sizeText;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    public String getPostgresVersion() {
        return postgresVersion;
    }

    public String getServerVersion() {
        return serverVersion;
    }

    public String getFormat() {
        return format;
    }

    public String getCompression() {
        return compression;
    }

    /** "17 (17.6)": pg_dump's major version, then the server's; either alone when the other is unknown. */
    public String getVersionText() {
        return postgresVersion == null || serverVersion == null ? joined(postgresVersion, serverVersion, "")
                : postgresVersion + " (" + serverVersion + ")";
    }

    /** "custom, zstd:3". */
    public String getFormatText() {
        return joined(format, compression, ", ");
    }

    private static String joined(String a, String b, String separator) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + separator + b;
    }

    public String getSha256() {
        return sha256;
    }

    /** The SHA-256's first {@value TimeTexts#SHA_PREFIX} hex digits (the whole value is on hover and copied). */
    public String getSha256Short() {
        return TimeTexts.shortSha(sha256);
    }

    /** The raw {@code backup-by} metadata. */
    public String getBackupBy() {
        return backupBy;
    }

    /** The link to the build that made it, or {@code null}. */
    public String getBuildUrl() {
        return buildUrl;
    }

    /** "team/nightly #12". */
    public String getBuildLabel() {
        return buildLabel;
    }

    /** PASSED, FAILED or NONE (never verified, or unknown). */
    public String getVerifyState() {
        return verifyState;
    }

    /** The last drill's one-line summary and time, or {@code null}. */
    public String getVerifyText() {
        return verifyText;
    }

    /** The last drill's one-line summary ("4 checks passed"), or {@code null}. */
    public String getVerifySummary() {
        return verifySummary;
    }

    /** How long ago the last drill finished ("3 h"), or {@code null}. */
    public String getVerifyAge() {
        return verifyAge;
    }

    /** When the last drill finished, "2026-12-06 11:14:46 UTC", or {@code null}. */
    public String getVerifyAtExact() {
        return verifyAtExact;
    }

    /** The build that ran the last drill, or {@code null}. */
    public String getVerifyUrl() {
        return verifyUrl;
    }

    /** Backup objects stored for this database (complete or unfinished). */
    public int getStored() {
        return stored;
    }

    /** FRESH, STALE, MISSING, UNKNOWN, or NOT_WATCHED when no connection sets a maximum age for it here. */
    public String getFreshness() {
        return freshness;
    }

    public String getFreshnessDetail() {
        return freshnessDetail;
    }

    /** The {@code pgRestore} line to copy, or {@code null} without a backup. */
    public String getRestoreSnippet() {
        return restoreSnippet;
    }

    /** Why no backup could be named although objects exist, or {@code null}. */
    public String getProblem() {
        return problem;
    }
}
