package io.jenkins.plugins.pgbackup.steps;

import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Before the first backup or restore on an agent, sends it the jars the engine needs ({@link AgentJars}) in bulk, once
 * per channel. Without it a fresh agent fetches some 2,500 classes one round trip at a time, seconds before
 * pg_dump starts. A preload that fails only costs that time: it is logged and the step goes on.
 */
final class AgentPreload {

    private static final Logger LOGGER = Logger.getLogger(AgentPreload.class.getName());

    /** Per agent connection; a reconnected agent is a new channel with empty class loaders. */
    private static final Map<VirtualChannel, Once> CHANNELS = new WeakHashMap<>();

    private AgentPreload() {}

    /** Nothing to do for a workspace on the controller: its classes are loaded from the jars already. */
    static void before(FilePath workspace) throws InterruptedException {
        VirtualChannel channel = workspace.getChannel();
        if (!workspace.isRemote() || channel == null) {
            return;
        }
        Once once;
        synchronized (CHANNELS) {
            once = CHANNELS.computeIfAbsent(channel, c -> new Once());
        }
        once.preload(channel);
    }

    /** A second step starting on the same fresh agent waits for the first one's preload instead of racing it. */
    private static final class Once {
        private boolean done;

        synchronized void preload(VirtualChannel channel) throws InterruptedException {
            if (done) {
                return;
            }
            long start = System.nanoTime();
            Map<ClassLoader, List<Class<?>>> groups = AgentJars.byLoader(AgentJars.anchors());
            for (Map.Entry<ClassLoader, List<Class<?>>> group : groups.entrySet()) {
                try {
                    ChannelJars.preload(channel, group.getKey(), group.getValue());
                } catch (IOException | RuntimeException e) {
                    LOGGER.log(Level.INFO, "Could not send the jars of " + group.getKey() + " to " + channel
                            + " in advance; their classes load one at a time instead", e);
                }
            }
            done = true; // also after a failure: it would fail the same way again
            LOGGER.log(Level.FINE, "Sent {0} jars from {1} class loaders to {2} in {3} ms", new Object[] {
                    groups.values().stream().mapToInt(List::size).sum(), groups.size(), channel,
                    (System.nanoTime() - start) / 1_000_000});
        }
    }
}
