package io.jenkins.plugins.pgbackup.demo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Sets a step's or build step's arguments through its public setters, by name, as Jenkins does for a
 * {@code @DataBoundConstructor} without parameters and its {@code @DataBoundSetter}s.
 */
public final class DemoBinding {
    private DemoBinding() {}

    /**
     * @param convert turns a value of {@link DemoStep#arguments()} into what the setter takes
     * @throws IllegalArgumentException for an argument the target has no setter for
     */
    public static <T> T bind(T target, Map<String, Object> arguments, UnaryOperator<Object> convert) {
        arguments.forEach((name, value) -> set(target, name, convert.apply(value)));
        return target;
    }

    private static void set(Object target, String name, Object value) {
        String setter = "set" + name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        Method method = Arrays.stream(target.getClass().getMethods())
                .filter(m -> m.getName().equals(setter) && m.getParameterCount() == 1).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(target.getClass().getSimpleName()
                        + " has no argument '" + name + "'"));
        try {
            method.invoke(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Cannot set '" + name + "' of " + target.getClass().getSimpleName()
                    + ": " + e.getCause(), e.getCause());
        }
    }
}
