package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import java.io.Serial;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs {@code pgBackup} on a thread of its own. Stopping the step (abort, {@code timeout}) interrupts that thread;
 * the interrupt cancels the remote call to the agent, which interrupts the engine there and with it pg_dump and the
 * upload. Like any {@link SynchronousNonBlockingStepExecution}, it does not survive a controller restart: the step
 * fails and can be retried.
 */
public final class PgBackupStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient PgBackupStep step;

    PgBackupStepExecution(PgBackupStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext c = getContext();
        BackupOutcome outcome;
        try {
            outcome = BackupRunner.run(step.options(), PgBackupStep.FUNCTION_NAME, c.get(Run.class),
                    c.get(FilePath.class), c.get(EnvVars.class), c.get(TaskListener.class),
                    ContainerTools.of(c, c.get(FilePath.class)));
        } catch (StoppedException e) {
            // Stopping the step (abort, timeout) already ended it with the interruption: ABORTED, "Aborted by ...".
            // What this thread throws afterwards is attached to that interruption and printed with it
            // (FlowInterruptedException.handle): an AbortException as its message, an InterruptedException as a
            // stack trace. Thrown without a stop, it fails the step with the same line.
            throw new AbortException(e.summary());
        }
        return ResultMaps.backup(outcome);
    }
}
