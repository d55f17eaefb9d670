package io.jenkins.plugins.pgbackup.steps;

import hudson.remoting.VirtualChannel;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Remoting's {@code hudson.remoting.Channel#preloadJar(ClassLoader, Class...)}: sends the jars holding the given
 * classes to the agent's class loader for {@code loader}, so that their classes are read there instead of being
 * fetched one at a time.
 *
 * <p>Called by reflection only because the offline API stubs this plugin is built against here declare
 * {@code VirtualChannel} but not {@code hudson.remoting.Channel}; the method is public remoting API. Once the stubs
 * carry {@code hudson.remoting.Channel}, this becomes {@code ((Channel) channel).preloadJar(loader, classes)}.
 */
final class ChannelJars {

    private ChannelJars() {}

    /**
     * @return whether anything was sent (false: the agent had all of them already)
     * @throws IOException when the channel cannot preload jars, or the agent or the controller refused
     */
    static boolean preload(VirtualChannel channel, ClassLoader loader, List<Class<?>> classes)
            throws IOException, InterruptedException {
        Method preloadJar;
        try {
            preloadJar = channel.getClass().getMethod("preloadJar", ClassLoader.class, Class[].class);
        } catch (NoSuchMethodException e) {
            throw new IOException(channel.getClass().getName() + " cannot preload jars", e);
        }
        try {
            return Boolean.TRUE.equals(preloadJar.invoke(channel, loader, classes.toArray(new Class<?>[0])));
        } catch (IllegalAccessException e) {
            throw new IOException(e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException i) {
                throw i;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        }
    }
}
