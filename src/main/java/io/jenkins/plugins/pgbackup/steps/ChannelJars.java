package io.jenkins.plugins.pgbackup.steps;

import hudson.remoting.Channel;
import hudson.remoting.VirtualChannel;
import java.io.IOException;
import java.util.List;

/**
 * Sends the jars holding the given classes to the agent's class loader for {@code loader}
 * ({@link Channel#preloadJar(ClassLoader, Class...)}), so that their classes are read there from the jar instead of
 * being fetched from the controller one round trip at a time.
 */
final class ChannelJars {

    private ChannelJars() {}

    /**
     * @return whether anything was sent (false: the agent had all of them already)
     * @throws IOException when the channel cannot preload jars (not a remoting channel), or the agent refused
     */
    static boolean preload(VirtualChannel channel, ClassLoader loader, List<Class<?>> classes)
            throws IOException, InterruptedException {
        if (!(channel instanceof Channel remoting)) {
            throw new IOException(channel + " is not a remoting channel and cannot preload jars");
        }
        return remoting.preloadJar(loader, classes.toArray(new Class<?>[0]));
    }
}
