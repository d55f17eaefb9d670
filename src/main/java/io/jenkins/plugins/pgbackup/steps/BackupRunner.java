package io.jenkins.plugins.pgbackup.steps;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.pgbackup.action.BackupAction;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.signing.BackupGrant;
import io.jenkins.plugins.pgbackup.signing.BackupSigner;
import java.io.File;
import io.jenkins.plugins.pgbackup.notify.Notification;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import jenkins.MasterToSlaveFileCallable;

/**
 * A backup as both {@code pgBackup} and the freestyle build step run it. On the controller: options to plan,
 * credentials, the version cache, the build action, notifications. On the agent that holds the workspace: the engine.
 * Interrupting the calling thread (abort, {@code timeout}) cancels the remote call, which interrupts the agent thread
 * and with it pg_dump and the upload.
 */
public final class BackupRunner {

    private BackupRunner() {}

    /**
     * @param stepName how the user called it, for messages ("pgBackup")
     * @param workspace {@code null} outside {@code node}: refused with a message that says to add it
     */
    public static BackupOutcome run(BackupOptions options, String stepName, Run<?, ?> run, FilePath workspace,
            EnvVars env, TaskListener listener) throws IOException, InterruptedException {
        return run(options, stepName, run, workspace, env, listener, null);
    }

    /**
     * As {@link #run(BackupOptions, String, Run, FilePath, EnvVars, TaskListener)}, with the clients run in the container of
     * an enclosing block when {@code container} is not {@code null}.
     */
    static BackupOutcome run(BackupOptions options, String stepName, Run<?, ?> run, FilePath workspace, EnvVars env,
            TaskListener listener, ContainerTools container) throws IOException, InterruptedException {
        RunnerSupport.requireWorkspace(workspace, stepName);
        PluginSettings settings = PgBackupGlobalConfiguration.get();
        BackupPlan plan = BackupRequestMapper.map(options, settings, new RunCredentials(run),
                env == null ? null : env.get("PATH"), "jenkins:" + run.getExternalizableId());
        MaskingEngineLog log = new MaskingEngineLog(EngineLog.to(listener.getLogger()), plan.secrets());
        log.info(Messages.Log_BackupPlan(plan.source(), plan.storage().location(),
                plan.format() == null ? "custom" : plan.format().id(),
                plan.compression() == null ? "auto" : plan.compression(), plan.timeoutMinutes()));
        List<VersionCacheStore.Entry> cached =
                RunnerSupport.cachedVersion(plan.connection().serverKey(), plan.versionCacheHours());
        BackupOutcome outcome;
        String id = UUID.randomUUID().toString();
        BackupSigner signer = null;
        try {
            BackupCallable callable;
            if (plan.controllerSigns()) {
                log.info(Messages.Log_StorageControllerSigns(plan.storage().location()));
                signer = new BackupSigner(plan.storage(), plan.connection().getDatabase());
                // The agent's plan holds no keys, and its secrets list names none.
                BackupGrant grant = RunnerSupport.callableFromAgent(workspace, BackupGrant.class, signer);
                callable = new BackupCallable(id, plan.withoutKeys(), cached, listener, container, grant);
            } else {
                log.info(Messages.Log_StorageAgentKeys(plan.storage().location()));
                callable = new BackupCallable(id, plan, cached, listener, container, null);
            }
            AgentPreload.before(workspace);
            BackupResult result = workspace.act(callable);
            if (result.isRetentionLeftToCaller()) {
                log.info(Messages.Log_RetentionOnController());
                result = EngineBridge.retainOnController(result, plan, log);
            }
            outcome = BackupRequestMapper.outcome(result, plan);
        } catch (InterruptedException e) {
            throw RunnerSupport.stopped(e, workspace, id, Messages.Log_BackupStopped(plan.source()));
        } catch (IOException e) {
            RunnerSupport.notify(plan.notifyDiscord(), settings, run, Notifications.failed(Notification.Kind.BACKUP,
                    plan.source(), log.mask(e.getMessage()), log.mask(RunnerSupport.stderrTail(e)),
                    RunnerSupport.buildName(run), RunnerSupport.buildUrl(run)), log);
            throw RunnerSupport.toAbort(e, log);
        } finally {
            if (signer != null) {
                // Whatever the agent left (it died, the build was aborted): aborted or deleted, then the keys' clients
                // closed. After a clean backup there is nothing to say.
                for (String line : signer.finish()) {
                    log.info(Messages.Log_GrantCleanup(line));
                }
            }
        }
        RunnerSupport.remember(outcome.detected(), log);
        run.addAction(new BackupAction(run.getActions(BackupAction.class).size() + 1, outcome));
        RunnerSupport.notify(plan.notifyDiscord(), settings, run,
                Notifications.backup(outcome, RunnerSupport.buildName(run), RunnerSupport.buildUrl(run)), log);
        return outcome;
    }

    /**
     * The agent's part: everything from detection to the upload, in the engine, and retention unless the controller
     * signs (then the controller runs it).
     */
    private static final class BackupCallable extends MasterToSlaveFileCallable<BackupResult> {
        private static final long serialVersionUID = 1L;

        private final String id;
        private final BackupPlan plan;
        private final List<VersionCacheStore.Entry> cached;
        private final TaskListener listener;
        /** {@code null} outside a container block. */
        private final ContainerTools container;
        /** The controller's signer, exported; {@code null} when the agent uses the keys. */
        @SuppressFBWarnings(value = "SE_BAD_FIELD", justification = "A remoting proxy, which serializes; on the "
                + "controller's own node the callable is not serialized")
        private final BackupGrant grant;

        BackupCallable(String id, BackupPlan plan, List<VersionCacheStore.Entry> cached, TaskListener listener,
                ContainerTools container, BackupGrant grant) {
            this.container = container;
            this.id = id;
            this.plan = plan;
            this.cached = cached;
            this.listener = listener;
            this.grant = grant;
        }

        @Override
        public BackupResult invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
            return AgentRuns.run(id, listener.getLogger(), plan.secrets(),
                    (log, stopState) -> EngineBridge.backup(plan, cached, log, stopState, starter(), grant));
        }

        private ProcessStarter starter() throws AbortException {
            return container == null ? null : container.starter();
        }
    }
}
