package io.jenkins.plugins.pgbackup.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.Serial;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@code pgRestore}; stopping it stops pg_restore or psql on the agent, as for {@link PgBackupStepExecution}.
 */
public final class PgRestoreStepExecution extends StoppableStepExecution<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient PgRestoreStep step;

    PgRestoreStepExecution(PgRestoreStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> work(StepContext c) throws Exception {
        FilePath workspace = c.get(FilePath.class);
        RestoreOutcome outcome = RestoreRunner.run(step.options(), PgRestoreStep.FUNCTION_NAME, c.get(Run.class), workspace,
                c.get(EnvVars.class), c.get(TaskListener.class), ContainerTools.of(c, workspace));
        return ResultMaps.restore(outcome);
    }
}
