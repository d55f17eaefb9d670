package io.jenkins.plugins.pgbackup.views;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The original JEXL 1.1 parser, loaded from the jars the build copies to {@code pgbackup.test.jexl} into a class loader
 * of its own whose parent is the platform loader.
 *
 * <p>Why not a test dependency: Jenkins core ships a fork of JEXL 1.1 under the same package names (it adds {@code ?:}
 * and ternaries, which core's own layouts use), and the original on the test class path shadows it, so that every page
 * of the {@code @WithJenkins} tests fails. Here nothing of JEXL is visible to the test class path, and nothing of the
 * test class path (the fork included, on a real build) is visible to this parser.
 */
final class Jexl11 {

    static final String JARS_PROPERTY = "pgbackup.test.jexl";
    private static final String FACTORY = "org.apache.commons.jexl.ExpressionFactory";

    private static Method createExpression;

    private Jexl11() {}

    /**
     * Parses one expression as {@code ExpressionFactory.createExpression} does.
     *
     * @throws Exception what the parser throws (its {@code ParseException}, for example)
     */
    static void parse(String expression) throws Exception {
        try {
            factory().invoke(null, expression);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception x ? x : new IllegalStateException(cause);
        }
    }

    /** The class loader the parser was loaded by: for the test that proves it is isolated. */
    static ClassLoader loader() throws ReflectiveOperationException {
        return factory().getDeclaringClass().getClassLoader();
    }

    private static synchronized Method factory() throws ReflectiveOperationException {
        if (createExpression == null) {
            @SuppressWarnings("resource") // lives as long as the test JVM, like the classes it loaded
            URLClassLoader isolated = new URLClassLoader(jars(), ClassLoader.getPlatformClassLoader());
            createExpression = isolated.loadClass(FACTORY).getMethod("createExpression", String.class);
        }
        return createExpression;
    }

    private static URL[] jars() {
        Path dir = Path.of(System.getProperty(JARS_PROPERTY, "target/jelly-check"));
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("no JEXL 1.1 jars in " + dir.toAbsolutePath()
                    + " (the build copies them at generate-test-resources)", e);
        }
        if (urls.stream().noneMatch(u -> u.getPath().contains("commons-jexl"))) {
            throw new IllegalStateException("commons-jexl 1.1 is missing from " + dir.toAbsolutePath() + ": " + urls);
        }
        return urls.toArray(new URL[0]);
    }
}
