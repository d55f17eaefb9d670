package io.jenkins.plugins.pgbackup.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Applies a Configuration as Code block for {@code unclassified: postgresqlBackup:} without Jenkins, the way the
 * configuration-as-code plugin binds it: each attribute must be a {@link DataBoundSetter} of
 * {@link PgBackupGlobalConfiguration}; nested objects are built with their {@link DataBoundConstructor} (by parameter
 * name) and their own setters, which run as they would under Jenkins; an unknown attribute is an error. Each global
 * value then goes through the check its global setter applies ({@link SettingsChecks}, {@link ConfigValidation} or the
 * object's {@code validate()}), in its strict form: an example in the documentation should not even warrant a log line.
 * The global configuration itself is not created, as its constructor loads from {@code JENKINS_HOME}.
 */
final class CascLikeBinder {

    /** What applying the block gave: problems (errors), and warnings the form would show. */
    record Result(Map<String, Object> values, List<String> errors, List<String> warnings) {}

    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private CascLikeBinder() {}

    /** @param yaml a whole Configuration as Code document with {@code unclassified: postgresqlBackup:} */
    static Result apply(String yaml) throws Exception {
        Map<?, ?> root = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
        Map<?, ?> unclassified = (Map<?, ?>) root.get("unclassified");
        Object settings = unclassified == null ? null : unclassified.get("postgresqlBackup");
        if (!(settings instanceof Map<?, ?> block)) {
            throw new IllegalArgumentException("no unclassified: postgresqlBackup: block in " + yaml);
        }
        CascLikeBinder binder = new CascLikeBinder();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : block.entrySet()) {
            String key = String.valueOf(e.getKey());
            binder.global(key, e.getValue(), block, values);
        }
        return new Result(values, binder.errors, binder.warnings);
    }

    private void global(String key, Object yaml, Map<?, ?> block, Map<String, Object> values) throws Exception {
        Method setter = setter(PgBackupGlobalConfiguration.class, key);
        if (setter == null) {
            errors.add("postgresqlBackup: no attribute '" + key + "'");
            return;
        }
        Object value;
        try {
            value = convert(setter.getGenericParameterTypes()[0], yaml, key);
        } catch (IllegalArgumentException e) {
            errors.add(key + ": " + e.getMessage());
            return;
        }
        values.put(key, value);
        FieldCheck check = check(key, setter.getParameterTypes()[0], value, block);
        if (check.isError()) {
            errors.add(key + ": " + check.message());
        } else if (check.kind() == FieldCheck.Kind.WARNING) {
            warnings.add(key + ": " + check.message());
        }
    }

    /** The check the global setter of {@code key} applies, found by the key's name. */
    private static FieldCheck check(String key, Class<?> type, Object value, Map<?, ?> block) throws Exception {
        Method m = staticMethod(SettingsChecks.class, key, type);
        if (m == null) {
            m = staticMethod(ConfigValidation.class, key, type);
        }
        if (m != null) {
            return (FieldCheck) invoke(m, null, value);
        }
        Method twoArgs = staticMethod(ConfigValidation.class, key, type, String.class);
        if (twoArgs != null && key.equals("compression")) {
            Object format = block.get("format");
            return (FieldCheck) invoke(twoArgs, null, value, format == null ? null : format.toString());
        }
        if (value == null) {
            return FieldCheck.ok();
        }
        Method validate = type.getMethod("validate");
        return (FieldCheck) invoke(validate, value);
    }

    private Object convert(Type type, Object yaml, String path) throws Exception {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (yaml == null) {
            return raw == int.class ? 0 : raw == boolean.class ? Boolean.FALSE : null;
        }
        if (raw == String.class) {
            return scalar(yaml, path).toString();
        }
        if (raw == int.class || raw == Integer.class) {
            return Integer.valueOf(scalar(yaml, path).toString().trim());
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return bool(scalar(yaml, path).toString(), path);
        }
        if (raw.isEnum()) {
            return enumValue(raw, scalar(yaml, path).toString());
        }
        if (List.class.isAssignableFrom(raw)) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            if (!(yaml instanceof List<?> items)) {
                throw new IllegalArgumentException(path + " must be a list");
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                out.add(convert(element, items.get(i), path + "[" + i + "]"));
            }
            return out;
        }
        if (!(yaml instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(path + " must be a mapping for " + raw.getSimpleName());
        }
        return describable(raw, map, path);
    }

    private Object describable(Class<?> type, Map<?, ?> yaml, String path) throws Exception {
        Constructor<?> ctor = dataBoundConstructor(type);
        Parameter[] params = ctor.getParameters();
        Object[] args = new Object[params.length];
        List<String> used = new ArrayList<>();
        for (int i = 0; i < params.length; i++) {
            if (!params[i].isNamePresent()) {
                throw new IllegalStateException("compile with -parameters: " + ctor);
            }
            String name = params[i].getName();
            used.add(name);
            args[i] = convert(params[i].getParameterizedType(), yaml.get(name), path + "." + name);
        }
        Object o = invoke(ctor, args);
        for (Map.Entry<?, ?> e : yaml.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (used.contains(key)) {
                continue;
            }
            Method setter = setter(type, key);
            if (setter == null) {
                throw new IllegalArgumentException(path + ": " + type.getSimpleName() + " has no attribute '" + key
                        + "'");
            }
            invoke(setter, o, convert(setter.getGenericParameterTypes()[0], e.getValue(), path + "." + key));
        }
        return o;
    }

    private static Object scalar(Object yaml, String path) {
        if (yaml instanceof Map || yaml instanceof List) {
            throw new IllegalArgumentException(path + " must be a single value");
        }
        return yaml;
    }

    private static Boolean bool(String s, String path) {
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        throw new IllegalArgumentException(path + " must be true or false: " + s);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String s) {
        return Enum.valueOf((Class) type, s.trim());
    }

    private static Method setter(Class<?> type, String key) {
        String name = "set" + key.substring(0, 1).toUpperCase(Locale.ROOT) + key.substring(1);
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1 && m.isAnnotationPresent(DataBoundSetter.class)) {
                return m;
            }
        }
        return null;
    }

    private static Constructor<?> dataBoundConstructor(Class<?> type) {
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                return c;
            }
        }
        throw new IllegalArgumentException(type.getSimpleName() + " has no @DataBoundConstructor");
    }

    private static Method staticMethod(Class<?> owner, String name, Class<?>... types) {
        try {
            return owner.getMethod(name, types);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Runs a constructor or method as binding would; what it throws is the binding's failure. */
    private static Object invoke(Object target, Object... args) throws Exception {
        try {
            if (target instanceof Constructor<?> c) {
                return c.newInstance(args);
            }
            Method m = (Method) target;
            return m.invoke(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }
}
