package io.jenkins.plugins.pgbackup.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.Serial;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@code pgBackup}: pg_dump and the upload on the agent (in the block's container, inside {@code container} or
 * {@code inside}), the build record and notifications on the controller. Stopping it is
 * {@link StoppableStepExecution}'s.
 */
public final class PgBackupStepExecution extends StoppableStepExecution<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient PgBackupStep step;

    PgBackupStepExecution(PgBackupStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> work(StepContext c) throws Exception {
        FilePath workspace = c.get(FilePath.class);
        BackupOutcome outcome = BackupRunner.run(step.options(), PgBackupStep.FUNCTION_NAME, c.get(Run.class), workspace,
                c.get(EnvVars.class), c.get(TaskListener.class), ContainerTools.of(c, workspace));
        return ResultMaps.backup(outcome);
    }
}
