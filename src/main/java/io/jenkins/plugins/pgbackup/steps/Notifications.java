package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.notify.Notification;
import java.time.Duration;

/** The Discord messages for outcomes and failures, built from what the build knows. */
public final class Notifications {
    private Notifications() {}

    public static Notification backup(BackupOutcome o, String buildName, String buildUrl) {
        return Notification.builder(Notification.Kind.BACKUP, true)
                .database(o.database())
                .serverVersion(o.serverVersion())
                .toolVersion(o.pgDumpVersion())
                .format(o.format())
                .compression(o.compression())
                .sizeBytes(o.size())
                .duration(Duration.ofMillis(o.durationMillis()))
                .objectKey(o.key())
                .sha256(o.sha256())
                .prunedCount(o.retentionDryRun() ? 0 : o.pruned().size())
                .buildName(buildName)
                .buildUrl(buildUrl)
                .build();
    }

    public static Notification restore(RestoreOutcome o, String buildName, String buildUrl) {
        return Notification.builder(Notification.Kind.RESTORE, true)
                .database(o.database())
                .serverVersion(o.serverVersion())
                .toolName(o.tool())
                .toolVersion(o.toolVersion())
                .sizeBytes(o.size())
                .duration(Duration.ofMillis(o.durationMillis()))
                .objectKey(o.key())
                .buildName(buildName)
                .buildUrl(buildUrl)
                .build();
    }

    /**
     * @param subject what the step was about ("the database connection 'prod'")
     * @param error the failure's message, secrets already masked
     * @param stderrTail the end of the tool's error output, sanitized by the engine; may be empty
     */
    public static Notification failed(Notification.Kind kind, String subject, String error, String stderrTail,
            String buildName, String buildUrl) {
        return Notification.builder(kind, false)
                .database(subject)
                .errorMessage(error)
                .stderrTail(stderrTail)
                .buildName(buildName)
                .buildUrl(buildUrl)
                .build();
    }
}
