package io.jenkins.plugins.pgbackup.retention;

import io.jenkins.plugins.pgbackup.storage.BackupObject;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/** What {@link RetentionPlanner} decided for each backup of a database, newest first, with the reasons. */
public final class RetentionPlan implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final List<Decision> keep;
    private final List<Decision> delete;

    RetentionPlan(List<Decision> keep, List<Decision> delete) {
        this.keep = List.copyOf(keep);
        this.delete = List.copyOf(delete);
    }

    /** Backups that stay, each with every rule that keeps it. */
    public List<Decision> getKeep() {
        return keep;
    }

    /** Backups no rule keeps. */
    public List<Decision> getDelete() {
        return delete;
    }

    /** One backup and why it stays or goes. */
    public static final class Decision implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final BackupObject backup;
        private final List<String> reasons;

        Decision(BackupObject backup, List<String> reasons) {
            this.backup = backup;
            this.reasons = List.copyOf(reasons);
        }

        public BackupObject getBackup() {
            return backup;
        }

        public String getKey() {
            return backup.getKey();
        }

        /** "last 7", "daily 2025-11-17", "weekly 2025-W47", "monthly 2025-11", "within 30 days", ... */
        public List<String> getReasons() {
            return reasons;
        }

        @Override
        public String toString() {
            return backup.getKey() + " (" + backup.getMetadata().getTimestampText() + "): "
                    + String.join(", ", reasons);
        }
    }
}
