package io.jenkins.plugins.pgbackup.steps;

import hudson.EnvVars;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import java.io.Serial;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs {@code pgRestore} on a thread of its own; stopping the step stops pg_restore or psql on the agent, as for
 * {@link PgBackupStepExecution}.
 */
public final class PgRestoreStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient PgRestoreStep step;

    PgRestoreStepExecution(PgRestoreStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext c = getContext();
        RestoreOutcome outcome;
        try {
            outcome = RestoreRunner.run(step.options(), PgRestoreStep.FUNCTION_NAME, c.get(Run.class),
                c.get(FilePath.class), c.get(EnvVars.class), c.get(TaskListener.class));
        } catch (StoppedException e) {
            // Stopping the step already ended it with the interruption (ABORTED, "Aborted by ..."); what the thread
            // throws is attached to that and printed with it: a message, where an InterruptedException would print
            // its stack trace.
            throw new AbortException(e.summary());
        }
        return ResultMaps.restore(outcome);
    }
}
