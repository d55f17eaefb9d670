package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import java.io.File;
import java.io.IOException;

/**
 * SEAM: every call from the Jenkins layer into the engine goes through here, so wiring the engine is one class.
 * The engine ({@code dump.BackupEngine}, {@code restore.RestoreEngine}, {@code detection.ServerVersionDetector},
 * {@code storage.BackupCatalog}, {@code notify}) is not on this branch yet: until it is, each call refuses with a clear
 * message instead of pretending to work.
 */
public final class EngineBridge {

    private EngineBridge() {}

    /**
     * Runs on the agent: detection (unless pinned or cached), tool resolution, pg_dump streamed to storage, retention.
     *
     * @param cached the controller's fresh cache entry for this server, or {@code null}
     * @param tempDir a directory of the build's own on the agent, for anything that needs a file
     */
    static BackupOutcome backup(BackupPlan plan, VersionCacheStore.Entry cached, File tempDir, EngineLog log)
            throws IOException, InterruptedException {
        throw new AbortException(Messages.Engine_Missing("dump.BackupEngine"));
    }

    /** Runs on the agent: finding the object, verification, tool choice and the restore itself. */
    static RestoreOutcome restore(RestorePlan plan, VersionCacheStore.Entry cached, File tempDir, EngineLog log)
            throws IOException, InterruptedException {
        throw new AbortException(Messages.Engine_Missing("restore.RestoreEngine"));
    }

    /** From the controller, for Test connection: the server's version, as a cache entry. */
    public static VersionCacheStore.Entry detectServerVersion(ConnectionSpec spec)
            throws IOException, InterruptedException {
        throw new AbortException(Messages.Engine_Missing("detection.ServerVersionDetector"));
    }

    /**
     * From the controller, for Test connection: put, head and delete a probe object.
     *
     * @return the probe object's key
     */
    public static String probeStorage(ResolvedStorage storage) throws IOException, InterruptedException {
        throw new AbortException(Messages.Engine_Missing("storage.BackupCatalog"));
    }

    /** From the controller: posts one result to Discord. Failures are the caller's to log, never to rethrow. */
    static void notifyDiscord(String webhookUrl, Notification notification) throws IOException, InterruptedException {
        throw new AbortException(Messages.Engine_Missing("notify"));
    }
}
