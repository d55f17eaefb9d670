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
 * Runs {@code pgVerify} on a thread of its own; stopping the step stops pg_restore or psql on the agent and drops the
 * scratch database, as for
 * {@link PgBackupStepExecution}.
 */
public final class PgVerifyStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient PgVerifyStep step;

    PgVerifyStepExecution(PgVerifyStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext c = getContext();
        VerifyOutcome outcome;
        try {
            outcome = VerifyRunner.run(step.options(), PgVerifyStep.FUNCTION_NAME, c.get(Run.class),
                    c.get(FilePath.class), c.get(EnvVars.class), c.get(TaskListener.class),
                    ContainerTools.of(c, c.get(FilePath.class)));
        } catch (StoppedException e) {
            // As in PgBackupStepExecution: after a stop, an AbortException prints as one line, not a stack trace.
            throw new AbortException(e.summary());
        }
        return ResultMaps.verify(outcome);
    }
}
