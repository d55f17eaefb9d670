package io.jenkins.plugins.pgbackup.freshness;

import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * "A backup of this database must be no older than {@code maxAge}, in this storage target": what a configured
 * connection with a maximum backup age asks for.
 *
 * @param connection the configured connection's name; identifies the alarm
 * @param database the database's real name
 * @param target the storage target's name
 * @param maxAge the allowed age of the newest complete backup
 */
public record FreshnessRule(String connection, String database, String target, Duration maxAge)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public FreshnessRule {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(target, "target");
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("The maximum backup age must be positive: " + maxAge);
        }
    }

    /** The folder the database's backups are stored in. */
    public String folder() {
        return BackupKeys.safeName(database);
    }
}
