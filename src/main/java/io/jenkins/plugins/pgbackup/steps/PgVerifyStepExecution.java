package io.jenkins.plugins.pgbackup.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.Serial;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@code pgVerify}; stopping it stops pg_restore or psql on the agent and drops the scratch database, as for
 * {@link PgBackupStepExecution}.
 */
public final class PgVerifyStepExecution extends StoppableStepExecution<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient PgVerifyStep step;

    PgVerifyStepExecution(PgVerifyStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> work(StepContext c) throws Exception {
        FilePath workspace = c.get(FilePath.class);
        VerifyOutcome outcome = VerifyRunner.run(step.options(), PgVerifyStep.FUNCTION_NAME, c.get(Run.class), workspace,
                c.get(EnvVars.class), c.get(TaskListener.class), ContainerTools.of(c, workspace));
        return ResultMaps.verify(outcome);
    }
}
