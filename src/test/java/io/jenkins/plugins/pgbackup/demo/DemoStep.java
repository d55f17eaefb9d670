package io.jenkins.plugins.pgbackup.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of a demo job: the Pipeline function ({@code pgBackup}, {@code pgRestore}, {@code pgVerify}) and its
 * arguments as a Pipeline script passes them (strings, numbers, booleans, a map for {@code minRows}, a list for
 * {@code sql}; {@link #BACKUP_KEY} for the key the job's backup returned).
 *
 * @param result the Pipeline variable the step's result goes to
 * @param echo what the Pipeline echoes afterwards: a Groovy string over {@code result}
 */
public record DemoStep(String function, Map<String, Object> arguments, String result, String echo) {

    /** Stands for {@code backup.key}: the object the job's own backup just stored. */
    public static final Object BACKUP_KEY = new Object() {
        @Override
        public String toString() {
            return "backup.key";
        }
    };

    public DemoStep {
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }
}
