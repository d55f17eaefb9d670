package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.notify.Notification;
import io.jenkins.plugins.pgbackup.verify.VerifyCheck;
import io.jenkins.plugins.pgbackup.verify.VerifyRecord;
import java.time.Duration;
import java.util.stream.Collectors;

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
     * A restore drill's outcome: a success names the backup and the time taken; a failure says which checks failed
     * and why, as a failed step's message would.
     */
    public static Notification verify(VerifyRecord r, String buildName, String buildUrl) {
        Notification.Builder b = Notification.builder(Notification.Kind.VERIFY, r.isPassed())
                .database(r.getDatabase())
                .duration(Duration.ofMillis(r.getDurationMillis()))
                .objectKey(r.getKey())
                .buildName(buildName)
                .buildUrl(buildUrl);
        if (!r.isPassed()) {
            b.errorMessage(r.getSummary()).stderrTail(r.getChecks().stream().filter(VerifyCheck::isFailed)
                    .map(c -> c.name() + ": " + c.detail()).collect(Collectors.joining("\n")));
        }
        return b.build();
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
