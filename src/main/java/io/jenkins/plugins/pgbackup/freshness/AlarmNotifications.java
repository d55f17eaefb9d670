package io.jenkins.plugins.pgbackup.freshness;

import io.jenkins.plugins.pgbackup.notify.Notification;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.BackupObject;

/** The Discord message for a transition: a failure for "stale"/"missing", a success for "recovered". */
public final class AlarmNotifications {
    private AlarmNotifications() {}

    /**
     * @param pageUrl the backups page, linked from the message; may be {@code null}
     * @param pageName how the link reads
     */
    public static Notification of(AlarmTransition t, String pageUrl, String pageName) {
        FreshnessStatus s = t.status();
        Notification.Builder b = Notification.builder(Notification.Kind.FRESHNESS, t.isRecovery())
                .database(s.rule().database())
                .buildUrl(pageUrl)
                .buildName(pageName)
                .finishedAt(s.checkedAt());
        if (!t.isRecovery()) {
            b.errorMessage(s.state() + " (connection '" + s.rule().connection() + "', storage '" + s.rule().target()
                    + "'): " + s.detail());
        }
        BackupObject newest = s.newest();
        if (newest != null) {
            BackupMetadata m = newest.getMetadata();
            b.objectKey(newest.getKey()).sha256(m.getSha256()).format(m.getDumpFormat())
                    .compression(m.getCompression()).serverVersion(m.getServerVersion())
                    .sizeBytes(m.getSize());
        }
        return b.build();
    }
}
