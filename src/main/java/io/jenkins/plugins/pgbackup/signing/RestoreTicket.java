package io.jenkins.plugins.pgbackup.signing;

import io.jenkins.plugins.pgbackup.storage.BackupObject;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * The one backup a restore (or restore drill) may read when the controller signs, as the controller resolved and
 * checked it with its keys: its description (manifest or metadata: size, SHA-256, ETag) and that of its globals, if
 * stored. Sent to the agent; holds no key and no URL.
 *
 * @param bucket the bucket, for messages
 * @param latestOf the database whose newest backup this is, or {@code null} when it was asked for by its key
 * @param backup the backup
 * @param globals its complete globals, or {@code null} when there are none (or {@code globalsProblem} says why not)
 * @param globalsProblem why the globals could not be read, or {@code null}
 */
public record RestoreTicket(String bucket, String latestOf, BackupObject backup, BackupObject globals,
        String globalsProblem) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public RestoreTicket {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(backup, "backup");
    }

    /** Whether {@code key} is the backup's or its globals' key: the only keys the grant signs. */
    public boolean covers(String key) {
        return backup.getKey().equals(key) || globals != null && globals.getKey().equals(key);
    }
}
