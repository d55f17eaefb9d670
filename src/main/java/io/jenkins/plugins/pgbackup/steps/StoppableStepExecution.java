package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import hudson.model.Result;
import hudson.model.TaskListener;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import java.io.Serial;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * The execution of {@code pgBackup}, {@code pgRestore} and {@code pgVerify}: runs on a thread of its own, and a stop
 * (abort, {@code timeout}) interrupts that thread, which cancels the remote call to the agent and with it the engine's
 * tool and transfer there. The stop ends the step only once the run has printed the line that says what was stopped
 * and what it left ({@link StopHandshake}). Like any {@link SynchronousNonBlockingStepExecution}, it does not survive
 * a controller restart: the step fails and can be retried.
 */
abstract class StoppableStepExecution<T> extends SynchronousNonBlockingStepExecution<T> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient StopHandshake handshake = new StopHandshake();

    StoppableStepExecution(StepContext context) {
        super(context);
    }

    /** The step's work; an interruption ends it with a {@link StoppedException} that says what was stopped. */
    protected abstract T work(StepContext context) throws Exception;

    @Override
    protected final T run() throws Exception {
        StepContext c = getContext();
        handshake.started();
        try {
            return work(c);
        } catch (StoppedException e) {
            if (!handshake.stopping()) {
                throw new AbortException(e.summary());
            }
            c.get(TaskListener.class).getLogger().println(e.summary());
            handshake.reportedAwaitingStop();
            // The stop has ended the step with its interruption, which prints what arrives after it: this one prints
            // nothing, the line above said it all.
            throw new FlowInterruptedException(Result.ABORTED, false);
        } finally {
            handshake.ended();
        }
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        handshake.stop(Timer.get(), () -> super.stop(cause));
    }
}
