package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.pgbackup.action.RestoreAction;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.signing.RestoreSigner;
import java.io.File;
import io.jenkins.plugins.pgbackup.notify.Notification;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import jenkins.MasterToSlaveFileCallable;

/**
 * A restore as both {@code pgRestore} and the freestyle build step run it; see {@link BackupRunner} for the split
 * between controller and agent and for interruption.
 */
public final class RestoreRunner {

    private RestoreRunner() {}

    public static RestoreOutcome run(RestoreOptions options, String stepName, Run<?, ?> run, FilePath workspace,
            EnvVars env, TaskListener listener) throws IOException, InterruptedException {
        return run(options, stepName, run, workspace, env, listener, null);
    }

    /**
     * As {@link #run(RestoreOptions, String, Run, FilePath, EnvVars, TaskListener)}, with the clients run in the container of
     * an enclosing block when {@code container} is not {@code null}.
     */
    static RestoreOutcome run(RestoreOptions options, String stepName, Run<?, ?> run, FilePath workspace, EnvVars env,
            TaskListener listener, ContainerTools container) throws IOException, InterruptedException {
        RunnerSupport.requireWorkspace(workspace, stepName);
        PluginSettings settings = PgBackupGlobalConfiguration.get();
        RestorePlan plan = RestoreRequestMapper.map(options, settings, new RunCredentials(run),
                env == null ? null : env.get("PATH"));
        MaskingEngineLog log = new MaskingEngineLog(EngineLog.to(listener.getLogger()), plan.secrets());
        String what = plan.key() != null ? plan.key() : "latest backup of " + plan.latestOf();
        log.info(Messages.Log_RestorePlan(what, plan.storage().location(), plan.target()));
        List<VersionCacheStore.Entry> cached =
                RunnerSupport.cachedVersion(plan.connection().serverKey(), plan.versionCacheHours());
        RestoreOutcome outcome;
        String id = UUID.randomUUID().toString();
        // When the controller signs, it resolves the backup here with the keys; the agent gets a plan without them.
        try (RestoreSigner signer = EngineBridge.signRestore(plan)) {
            AgentPreload.before(workspace);
            outcome = workspace.act(new RestoreCallable(id, plan.forAgent(), cached, listener, container,
                    SignedReads.of(workspace, signer)));
        } catch (InterruptedException e) {
            throw RunnerSupport.stopped(e, workspace, id, Messages.Log_RestoreStopped(plan.target()));
        } catch (IOException e) {
            RunnerSupport.notify(plan.notifyDiscord(), settings, run, Notifications.failed(Notification.Kind.RESTORE,
                    plan.target(), log.mask(e.getMessage()), log.mask(RunnerSupport.stderrTail(e)),
                    RunnerSupport.buildName(run), RunnerSupport.buildUrl(run)), log);
            throw RunnerSupport.toAbort(e, log);
        }
        RunnerSupport.remember(outcome.detected(), log);
        run.addAction(new RestoreAction(run.getActions(RestoreAction.class).size() + 1, outcome));
        log.info(Messages.Log_RestoreDone(outcome.bucket(), outcome.key(), outcome.database(), outcome.tool(),
                outcome.toolVersion(), outcome.durationMillis()));
        RunnerSupport.notify(plan.notifyDiscord(), settings, run,
                Notifications.restore(outcome, RunnerSupport.buildName(run), RunnerSupport.buildUrl(run)), log);
        return outcome;
    }

    /** The agent's part: finding and verifying the backup, choosing the tool, restoring. */
    private static final class RestoreCallable extends MasterToSlaveFileCallable<RestoreOutcome> {
        private static final long serialVersionUID = 1L;

        private final String id;
        private final RestorePlan plan;
        private final List<VersionCacheStore.Entry> cached;
        private final TaskListener listener;
        /** {@code null} outside a container block. */
        private final ContainerTools container;
        /** {@code null} when the agent uses the keys. */
        private final SignedReads signed;

        RestoreCallable(String id, RestorePlan plan, List<VersionCacheStore.Entry> cached, TaskListener listener,
                ContainerTools container, SignedReads signed) {
            this.container = container;
            this.signed = signed;
            this.id = id;
            this.plan = plan;
            this.cached = cached;
            this.listener = listener;
        }

        @Override
        public RestoreOutcome invoke(File workspace, VirtualChannel channel)
                throws IOException, InterruptedException {
            return AgentRuns.run(id, listener.getLogger(), plan.secrets(),
                    (log, stopState) -> EngineBridge.restore(plan, cached, log, stopState, starter(), signed));
        }

        private ProcessStarter starter() throws AbortException {
            return container == null ? null : container.starter();
        }
    }
}
