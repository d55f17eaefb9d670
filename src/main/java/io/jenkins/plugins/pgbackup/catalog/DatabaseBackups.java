package io.jenkins.plugins.pgbackup.catalog;

import io.jenkins.plugins.pgbackup.storage.BackupObject;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * One database's folder as a {@link NewestBackupReader} saw it: how many backup objects are stored there and the newest
 * complete one (if any).
 */
public final class DatabaseBackups implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String folder;
    private final int stored;
    private final BackupObject newest;
    private final String problem;
    private final LastVerify lastVerify;

    /**
     * @param folder the database's folder name in keys ({@code BackupKeys.safeName})
     * @param stored backup objects listed in the folder (complete or not)
     * @param newest the newest complete backup, or {@code null}
     * @param problem why no newest backup could be named although objects are there, or {@code null}
     */
    public DatabaseBackups(String folder, int stored, BackupObject newest, String problem) {
        this(folder, stored, newest, problem, null);
    }

    /** @param lastVerify the newest backup's last restore drill, or {@code null} (never verified, or not read) */
    public DatabaseBackups(String folder, int stored, BackupObject newest, String problem, LastVerify lastVerify) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.stored = stored;
        this.newest = newest;
        this.problem = problem;
        this.lastVerify = lastVerify;
    }

    public LastVerify getLastVerify() {
        return lastVerify;
    }

    public String getFolder() {
        return folder;
    }

    /** Backup objects listed in the folder: what retention keeps, plus any unfinished upload. */
    public int getStored() {
        return stored;
    }

    /** The newest complete backup, or {@code null} when the folder holds none. */
    public BackupObject getNewest() {
        return newest;
    }

    public String getProblem() {
        return problem;
    }

    /** The real database name from the newest backup's metadata, else the folder name. */
    public String getDatabase() {
        if (newest != null && newest.getMetadata().getDatabase() != null) {
            return newest.getMetadata().getDatabase();
        }
        return folder;
    }
}
