package io.jenkins.plugins.pgbackup.steps;

/**
 * One result to post to Discord: a backup or a restore, successful (with its outcome) or failed (with the error
 * message, already free of secrets).
 *
 * @param subject the database (or connection) the operation was about
 * @param build the build's display name, such as "nightly-backup #42"
 * @param buildUrl the build's absolute URL, or {@code null} when Jenkins' URL is not configured
 */
public record Notification(Kind kind, boolean success, String subject, String build, String buildUrl,
        BackupOutcome backup, RestoreOutcome restore, String error) {

    public enum Kind {
        BACKUP, RESTORE
    }

    public static Notification of(BackupOutcome o, String build, String buildUrl) {
        return new Notification(Kind.BACKUP, true, o.database(), build, buildUrl, o, null, null);
    }

    public static Notification of(RestoreOutcome o, String build, String buildUrl) {
        return new Notification(Kind.RESTORE, true, o.database(), build, buildUrl, null, o, null);
    }

    public static Notification failed(Kind kind, String subject, String error, String build, String buildUrl) {
        return new Notification(kind, false, subject, build, buildUrl, null, null, error);
    }
}
