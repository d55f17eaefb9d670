package io.jenkins.plugins.pgbackup.process;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Runs a command where the build's shell steps run, which may be another place than this JVM's machine (a container
 * the build's launcher was decorated for). Only commands, their exit status and a little text cross it: the data
 * travel through named pipes ({@link PipedProcessStarter}). A Jenkins build implements it on the controller and hands
 * the engine a remote reference; tests implement it with a wrapper.
 */
public interface CommandLauncher {

    /**
     * Starts a command.
     *
     * @param command the program and its arguments, never parsed by a shell
     * @param environment variables to add to those of the place it runs in
     * @param directory the working directory, a path as that place sees it
     * @return a handle for {@link #waitFor} and {@link #kill}
     */
    String launch(List<String> command, Map<String, String> environment, String directory)
            throws IOException, InterruptedException;

    /**
     * Waits up to {@code millis} for the command to end.
     *
     * @return how it ended, or {@code null} while it still runs
     */
    Exit waitFor(String handle, long millis) throws IOException, InterruptedException;

    /** Ends the command's own process (which may not end what it started: see {@link PipedProcessStarter}). */
    void kill(String handle) throws IOException, InterruptedException;

    /** How a command ended: its exit status and the end of what it printed itself (not the tool's streams). */
    record Exit(int status, String output) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }
}
