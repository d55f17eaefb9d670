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

    public String getSha256() {
        return sha256;
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
