package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.remoting.Channel;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.pgbackup.config.ControllerVersionCache;
import io.jenkins.plugins.pgbackup.config.DiscordNotification;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.dump.BackupException;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.notify.Notification;
import io.jenkins.plugins.pgbackup.restore.RestoreException;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jenkins.MasterToSlaveFileCallable;
import jenkins.model.Jenkins;

/** What the backup and restore runners share on the controller: the version cache, notifications, errors. */
final class RunnerSupport {

    private static final Logger LOGGER = Logger.getLogger(RunnerSupport.class.getName());
    /** "io.jenkins.plugins.pgbackup.dump.BackupException: " or "java.io.IOException: " at the start of a message. */
    private static final Pattern CLASS_PREFIX =
            Pattern.compile("(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*: ");

    private RunnerSupport() {}

    /**
     * {@code instance}, which lives on the controller, as the agent of {@code workspace} can call it: through the
     * channel from a remote agent, directly on the controller's own node (where the callable is not serialized).
     */
    static <T> T callableFromAgent(FilePath workspace, Class<T> type, T instance) {
        return workspace.getChannel() instanceof Channel channel ? channel.export(type, instance) : instance;
    }

    static void requireWorkspace(FilePath workspace, String stepName) throws AbortException {
        if (workspace == null) {
            throw new AbortException(Messages.Step_NeedsNode(stepName));
        }
    }

    /** The controller's entry for this server if it is fresh enough, for the agent's cache. */
    static List<VersionCacheStore.Entry> cachedVersion(String serverKey, int cacheHours) {
        VersionCacheStore.Entry e = ControllerVersionCache.get().store()
                .fresh(serverKey, Duration.ofHours(cacheHours), Instant.now());
        return e == null ? List.of() : List.of(e);
    }

    /** Keeps what the agent's cache knows after the run; a cache that cannot be written is only worth a warning. */
    static void remember(List<VersionCacheStore.Entry> detected, EngineLog log) {
        try {
            ControllerVersionCache.get().store().recordAll(detected);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not write the PostgreSQL version cache", e);
            log.warn(Messages.Log_CacheFailed(e.getMessage()));
        }
    }

    /**
     * Posts to Discord when configured and wanted; a notification that fails is logged and never changes the
     * step's result.
     */
    static void notify(boolean enabled, PluginSettings settings, Run<?, ?> run, Notification n, EngineLog log) {
        DiscordNotification discord = settings.getDiscord();
        if (!enabled || discord == null || !discord.wants(n.success())) {
            return;
        }
        String webhook;
        try {
            webhook = new RunCredentials(run).secretText(discord.getWebhookCredentialsId(),
                    Messages.Purpose_Discord());
        } catch (AbortException e) {
            log.warn(Messages.Log_NotifyFailed(e.getMessage()));
            return;
        }
        EngineBridge.notifyDiscord(webhook, n, new MaskingEngineLog(log, List.of(webhook)));
    }

    /** The end of pg_dump's (or pg_restore's) error output, when the engine kept it. */
    static String stderrTail(IOException e) {
        if (e instanceof BackupException b) {
            return b.getStderrTail();
        }
        return e instanceof RestoreException r ? r.getStderrTail() : "";
    }

    /** The build, as notifications name it. */
    static String buildName(Run<?, ?> run) {
        return run.getFullDisplayName();
    }

    /**
     * The build's absolute URL, or {@code null} when Jenkins' URL is unknown (not configured, and no request to take it
     * from). {@code getRootUrl()} is the supported way; {@code getConfiguredRootUrl()} is restricted in core.
     */
    static String buildUrl(Run<?, ?> run) {
        Jenkins j = Jenkins.getInstanceOrNull();
        String root = j == null ? null : j.getRootUrl();
        return root == null ? null : root + run.getUrl();
    }

    /**
     * An interrupted run (abort, {@code timeout}) as one line that says what was stopped and what it left. The
     * controller learns of the interruption first: unless the run was local (and the engine's own
     * {@link StoppedException} arrived), it asks the agent, which waits a moment for the engine to finish stopping.
     *
     * @param fallback the line when the agent cannot say
     */
    static StoppedException stopped(InterruptedException e, FilePath workspace, String id, String fallback) {
        if (e instanceof StoppedException s) {
            return s;
        }
        return new StoppedException(Objects.requireNonNullElse(askAgent(workspace, id), fallback), null);
    }

    /** What the agent says the stopped run left, or {@code null} when it cannot say. */
    private static String askAgent(FilePath workspace, String id) {
        try {
            return workspace.act(new StopSummaryCallable(id));
        } catch (IOException | InterruptedException | RuntimeException x) {
            LOGGER.log(Level.FINE, "Could not ask the agent what the stopped step left", x);
            return null;
        }
    }

    /** On the agent: what the interrupted run left. */
    private static final class StopSummaryCallable extends MasterToSlaveFileCallable<String> {
        private static final long serialVersionUID = 1L;

        private final String id;

        StopSummaryCallable(String id) {
            this.id = id;
        }

        @Override
        public String invoke(File workspace, VirtualChannel channel) throws InterruptedException {
            return AgentRuns.stopSummary(id, AgentRuns.STOP_WAIT);
        }
    }

    /**
     * Failures end the step with their message (secrets masked) and no stack trace. The cause is not attached: a
     * build keeps its error, and a secret in a cause's message would be kept with it. The system log has the trace.
     */
    static AbortException toAbort(IOException e, MaskingEngineLog log) {
        LOGGER.log(Level.FINE, "PostgreSQL Backup step failed", e);
        return new AbortException(log.mask(abortMessage(e)));
    }

    /**
     * The message a failure ends the step with. An exception that could not be deserialized on the controller arrives
     * as remoting's {@code ProxyException}, whose message is the original's {@code toString()}: the class names in
     * front are dropped so that the cause comes first.
     */
    static String abortMessage(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return Messages.Log_FailedWithoutMessage(e.getClass().getSimpleName());
        }
        String stripped = m;
        while (true) {
            Matcher c = CLASS_PREFIX.matcher(stripped);
            if (!c.lookingAt()) {
                break;
            }
            stripped = stripped.substring(c.end());
        }
        return stripped.isBlank() ? m : stripped;
    }

}
