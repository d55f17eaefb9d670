package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveFormat;
import java.util.List;

/**
 * The rules a restore passes before it may touch the target: the database exists (or may be created), holds nothing
 * of its own (or may be cleaned), and the options make sense for the backup's format.
 */
final class Guardrails {
    private Guardrails() {}

    /**
     * What the target itself must be: existing (or allowed to be created), and empty (or allowed to be cleaned).
     *
     * @param objects the target's own objects, one more than {@link RestoreEngine#OBJECTS_NAMED} at most
     * @throws RestoreException naming what stands in the way and what to do
     */
    static void checkTarget(RestoreRequest request, boolean exists, List<String> objects) throws RestoreException {
        if (!exists && !request.isCreateDatabase()) {
            throw new RestoreException(target(request) + " does not exist. Create it (empty), or set createDatabase "
                    + "to let the restore create it." + BackupTransfer.UNTOUCHED);
        }
        if (!objects.isEmpty() && !request.isClean()) {
            throw new RestoreException(target(request) + " is not empty: it has " + name(objects) + ". Restoring "
                    + "into it would mix the backup with what is there. Set clean to drop the backup's objects before "
                    + "recreating them (--clean --if-exists; other objects stay), or restore into an empty or new "
                    + "database (createDatabase)." + BackupTransfer.UNTOUCHED);
        }
    }

    /** What the options must be for this backup's format: a plain script runs as pg_dump wrote it. */
    static void checkFormat(RestoreRequest request, List<String> objects, BackupContent content)
            throws RestoreException {
        if (!content.isPlain()) {
            return;
        }
        if (request.isNoOwner() || request.isNoAcl()) {
            throw new RestoreException("noOwner and noAcl cannot apply to a plain SQL script: psql runs it as pg_dump "
                    + "wrote it. Restore without them, or take backups in the custom format." + BackupTransfer.UNTOUCHED);
        }
        if (request.isClean() && !objects.isEmpty()) {
            throw new RestoreException(target(request) + " is not empty: it has " + name(objects) + ". A plain SQL "
                    + "script cannot be restored with clean (psql runs it as written and drops nothing): restore into "
                    + "an empty or new database, or take backups in the custom format." + BackupTransfer.UNTOUCHED);
        }
    }

    private static String target(RestoreRequest request) {
        ConnectionSpec spec = request.getTarget();
        return "The target database '" + spec.getDatabase() + "' on " + spec.getHost() + ":" + spec.getPort();
    }

    private static String name(List<String> objects) {
        List<String> named = objects.subList(0, Math.min(objects.size(), RestoreEngine.OBJECTS_NAMED));
        return String.join(", ", named) + (objects.size() > named.size() ? " and more" : "");
    }

    /** The parallel jobs pg_restore can use for this backup: those asked for, where it can run them. */
    static int jobs(RestoreRequest request, BackupContent content, BackupTransfer.Mode mode, boolean piped,
            EngineLog log) {
        int asked = request.getJobs();
        if (asked <= 1) {
            return 1;
        }
        String why = null;
        if (content.isPlain()) {
            why = "psql runs a plain SQL script in one session";
        } else if (content.format() == ArchiveFormat.TAR) {
            why = "pg_restore cannot restore the tar format in parallel";
        } else if (piped) {
            why = "the restore runs as one filtered script through psql (a target older than 17, or clean on "
                    + "partitioned tables)";
        } else if (mode == BackupTransfer.Mode.STREAM) {
            why = "the backup is streamed";
        }
        if (why != null) {
            log.warn("Restoring with one job instead of " + asked + ": " + why);
            return 1;
        }
        return asked;
    }
}
