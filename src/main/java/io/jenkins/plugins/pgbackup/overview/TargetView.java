package io.jenkins.plugins.pgbackup.overview;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/** One storage target on the backups page: its databases, or why it could not be read. */
public final class TargetView implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String location;
    private final String error;
    private final List<BackupRow> rows;

    TargetView(String name, String location, String error, List<BackupRow> rows) {
        this.name = name;
        this.location = location;
        this.error = error;
        this.rows = List.copyOf(rows);
    }

    public String getName() {
        return name;
    }

    /** {@code s3://bucket/prefix}. */
    public String getLocation() {
        return location;
    }

    /** Why the target could not be read, or {@code null}. */
    public String getError() {
        return error;
    }

    public boolean isFailed() {
        return error != null;
    }

    /** By database folder; watched databases without backups included. */
    public List<BackupRow> getRows() {
        return rows;
    }

    /** Whether there is no row. */
    public boolean isNoRows() {
        return rows.isEmpty();
    }
}
