package io.jenkins.plugins.pgbackup.steps;

import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.LauncherDecorator;
import hudson.model.Node;
import hudson.model.TaskListener;
import java.io.Serial;
import java.io.Serializable;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Test-only block step {@code withClientsOnPath(bin: '...') { ... }}: decorates the build's launcher the way Docker
 * Pipeline's {@code inside} and the Kubernetes plugin's {@code container} do ({@link BodyInvoker#mergeLauncherDecorators}
 * and a {@link LauncherDecorator} in the body's context), so that every process the body's steps launch through the
 * context's launcher runs under {@code env PATH=<bin>:/usr/bin:/bin}: a client directory only the "container" has.
 */
public final class ClientPathStep extends Step implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String bin;

    @DataBoundConstructor
    public ClientPathStep(String bin) {
        this.bin = bin;
    }

    public String getBin() {
        return bin;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, bin);
    }

    private static final class Execution extends StepExecution {
        @Serial
        private static final long serialVersionUID = 1L;

        private final String bin;

        Execution(StepContext context, String bin) {
            super(context);
            this.bin = bin;
        }

        @Override
        public boolean start() throws Exception {
            getContext().newBodyInvoker()
                    .withContext(BodyInvoker.mergeLauncherDecorators(getContext().get(LauncherDecorator.class),
                            new PathDecorator(bin)))
                    .withCallback(BodyExecutionCallback.wrap(getContext()))
                    .start();
            return false;
        }
    }

    /** Prefixes every launched command with {@code env PATH=...}, as Docker Pipeline prefixes {@code docker exec}. */
    private static final class PathDecorator extends LauncherDecorator implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final String bin;

        PathDecorator(String bin) {
            this.bin = bin;
        }

        @Override
        public Launcher decorate(Launcher launcher, Node node) {
            return launcher.decorateByPrefix("env", "PATH=" + bin + ":/usr/bin:/bin");
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "withClientsOnPath";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Launcher.class, FilePath.class, TaskListener.class);
        }
    }
}
