package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.pgbackup.action.VerifyAction;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.signing.RestoreSigner;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.notify.Notification;
import io.jenkins.plugins.pgbackup.verify.VerifyCheck;
import io.jenkins.plugins.pgbackup.verify.VerifyRecord;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import jenkins.MasterToSlaveFileCallable;

/**
 * A restore drill as both {@code pgVerify} and the freestyle build step run it; see {@link BackupRunner} for the split
 * between controller and agent and for interruption. The build page shows every check; a failed check fails the step
 * after the page and the notification have it.
 */
public final class VerifyRunner {

    private VerifyRunner() {}

    public static VerifyOutcome run(VerifyOptions options, String stepName, Run<?, ?> run, FilePath workspace,
            EnvVars env, TaskListener listener) throws IOException, InterruptedException {
        return run(options, stepName, run, workspace, env, listener, null);
    }

    /**
     * As {@link #run(VerifyOptions, String, Run, FilePath, EnvVars, TaskListener)}, with the clients run in the container of
     * an enclosing block when {@code container} is not {@code null}.
     */
    static VerifyOutcome run(VerifyOptions options, String stepName, Run<?, ?> run, FilePath workspace, EnvVars env,
            TaskListener listener, ContainerTools container) throws IOException, InterruptedException {
        RunnerSupport.requireWorkspace(workspace, stepName);
        PluginSettings settings = PgBackupGlobalConfiguration.get();
        VerifyPlan plan = VerifyRequestMapper.map(options, settings, new RunCredentials(run),
                env == null ? null : env.get("PATH"), Integer.toString(run.getNumber()), run.getUrl());
        RestorePlan restore = plan.restore();
        MaskingEngineLog log = new MaskingEngineLog(EngineLog.to(listener.getLogger()), restore.secrets());
        String what = restore.key() != null ? restore.key() : "latest backup of " + restore.latestOf();
        log.info(Messages.Log_VerifyPlan(what, restore.storage().location(), restore.target()));
        List<VersionCacheStore.Entry> cached =
                RunnerSupport.cachedVersion(restore.connection().serverKey(), restore.versionCacheHours());
        VerifyOutcome outcome;
        // When the controller signs, it resolves the backup here with the keys, and writes the drill's record after.
        try (RestoreSigner signer = EngineBridge.signRestore(restore)) {
            AgentPreload.before(workspace);
            outcome = workspace.act(new VerifyCallable(VerifyRequestMapper.forAgent(plan), cached, listener,
                    container, SignedReads.of(workspace, signer)));
            if (signer != null) {
                outcome = EngineBridge.recordVerify(signer, outcome, log);
            }
        } catch (InterruptedException e) {
            // The drill drops its scratch database in a finally on the agent (and the next run on that server drops
            // it if the agent died): say so in one line instead of a stack trace.
            throw e instanceof StoppedException s ? s : new StoppedException(Messages.Log_VerifyStopped(what), null);
        } catch (IOException e) {
            RunnerSupport.notify(restore.notifyDiscord(), settings, run, Notifications.failed(
                    Notification.Kind.VERIFY, restore.target(), log.mask(e.getMessage()),
                    log.mask(RunnerSupport.stderrTail(e)), RunnerSupport.buildName(run),
                    RunnerSupport.buildUrl(run)), log);
            throw RunnerSupport.toAbort(e, log);
        }
        RunnerSupport.remember(outcome.detected(), log);
        VerifyRecord record = outcome.record();
        run.addAction(new VerifyAction(run.getActions(VerifyAction.class).size() + 1, outcome));
        log.info(Messages.Log_VerifyDone(record.getBucket(), record.getKey(), record.getSummary()));
        RunnerSupport.notify(restore.notifyDiscord(), settings, run,
                Notifications.verify(record, RunnerSupport.buildName(run), RunnerSupport.buildUrl(run)), log);
        if (!record.isPassed()) {
            throw new AbortException(log.mask(Messages.Verify_Failed(record.getBucket(), record.getKey(),
                    record.getSummary(), failures(record))));
        }
        return outcome;
    }

    private static String failures(VerifyRecord record) {
        return record.getChecks().stream().filter(VerifyCheck::isFailed).map(c -> c.name() + ": " + c.detail())
                .collect(Collectors.joining("; "));
    }

    /** The agent's part: the whole drill, scratch database included. */
    private static final class VerifyCallable extends MasterToSlaveFileCallable<VerifyOutcome> {
        private static final long serialVersionUID = 1L;

        private final VerifyPlan plan;
        private final List<VersionCacheStore.Entry> cached;
        private final TaskListener listener;
        /** {@code null} outside a container block. */
        private final ContainerTools container;
        /** {@code null} when the agent uses the keys. */
        private final SignedReads signed;

        VerifyCallable(VerifyPlan plan, List<VersionCacheStore.Entry> cached, TaskListener listener,
                ContainerTools container, SignedReads signed) {
            this.container = container;
            this.signed = signed;
            this.plan = plan;
            this.cached = cached;
            this.listener = listener;
        }

        @Override
        public VerifyOutcome invoke(File workspace, VirtualChannel channel)
                throws IOException, InterruptedException {
            EngineLog log = new MaskingEngineLog(EngineLog.to(listener.getLogger()), plan.restore().secrets());
            try {
                return EngineBridge.verify(plan, cached, log, starter(), signed);
            } finally {
                // What the callable wrote reaches the console asynchronously: flush before returning.
                listener.getLogger().flush();
            }
        }

        private ProcessStarter starter() throws AbortException {
            return container == null ? null : container.starter();
        }
    }
}
