package io.jenkins.plugins.pgbackup.freshness;

/** What a freshness check says about one database. */
public enum FreshnessState {
    /** The newest complete backup is younger than the allowed age. */
    FRESH,
    /** The newest complete backup is older than the allowed age. */
    STALE,
    /** The storage target was read and holds no complete backup of the database. */
    MISSING,
    /** The storage target could not be read (or is not configured): nothing is known, so no alarm either way. */
    UNKNOWN;

    /** Whether this state raises the alarm. */
    public boolean isAlarm() {
        return this == STALE || this == MISSING;
    }
}
