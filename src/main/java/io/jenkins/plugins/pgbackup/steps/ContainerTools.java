package io.jenkins.plugins.pgbackup.steps;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Launcher;
import hudson.LauncherDecorator;
import hudson.remoting.Channel;
import hudson.slaves.WorkspaceList;
import io.jenkins.plugins.pgbackup.process.CommandLauncher;
import io.jenkins.plugins.pgbackup.process.PipedProcessStarter;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import java.io.File;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What the engine on the agent needs to run its clients in the container of an enclosing {@code container(...)}
 * (Kubernetes) or {@code docker.image(...).inside} (Docker Pipeline) block: a remote reference to the build's
 * decorated launcher on the controller, the workspace's temporary directory (where the named pipes go, seen by the
 * agent and the container at the same path) and the workspace (the clients' working directory). Outside such a block
 * there is none, and the clients run on the agent as they always did.
 */
final class ContainerTools implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    @SuppressFBWarnings(value = "SE_BAD_FIELD", justification = "A remoting proxy, which serializes; on the "
            + "controller's own node the callable is not serialized")
    private final CommandLauncher launcher;
    private final String tempDir;
    private final String workspace;

    private ContainerTools(CommandLauncher launcher, String tempDir, String workspace) {
        this.launcher = launcher;
        this.tempDir = tempDir;
        this.workspace = workspace;
    }

    /**
     * The container tools of a Pipeline step's context: only when an enclosing block put a {@link LauncherDecorator}
     * there (which is how {@code container} and {@code inside} make {@code sh} run in their container).
     *
     * @return {@code null} outside such a block
     * @throws AbortException on an agent that is not Unix
     */
    static ContainerTools of(StepContext context, FilePath workspace) throws IOException, InterruptedException {
        if (workspace == null || context.get(LauncherDecorator.class) == null) {
            return null;
        }
        Launcher launcher = context.get(Launcher.class);
        FilePath tmp = WorkspaceList.tempDir(workspace);
        if (launcher == null || tmp == null) {
            return null;
        }
        if (!launcher.isUnix()) {
            throw new AbortException(Messages.Containers_NotUnix());
        }
        CommandLauncher commands = new LauncherCommands(launcher);
        // On a remote agent the engine calls back through the channel; on the controller's own node, directly. (What
        // RunnerSupport.callableFromAgent does; inline here because SpotBugs, analysing against the offline stubs
        // whose getChannel() always throws, then reports a dead store to launcher.)
        CommandLauncher handed = workspace.getChannel() instanceof Channel channel
                ? channel.export(CommandLauncher.class, commands) : commands;
        return new ContainerTools(handed, tmp.getRemote(), workspace.getRemote());
    }

    /** On the agent: the engine's starter for the container. */
    ProcessStarter starter() throws AbortException {
        if (File.separatorChar == '\\') {
            throw new AbortException(Messages.Containers_NotUnix());
        }
        return new PipedProcessStarter(launcher, Path.of(tempDir), workspace, Messages.Containers_Where());
    }
}
