package io.jenkins.plugins.pgbackup.config;

import java.util.List;
import java.util.function.Function;

/** Checks over whole lists of connections and storage targets, with messages that say which entry is wrong. */
public final class SettingsChecks {
    private SettingsChecks() {}

    public static FieldCheck connections(List<DatabaseConnection> connections) {
        FieldCheck names = ConfigValidation.uniqueNames(connections.stream()
                .map(c -> c.getName() == null ? "" : c.getName()).toList());
        if (names.isError()) {
            return names;
        }
        for (DatabaseConnection c : connections) {
            FieldCheck check = c.validate();
            if (check.isError()) {
                return FieldCheck.error(c.getName() + ": " + check.message());
            }
        }
        return FieldCheck.ok();
    }

    public static FieldCheck storageTargets(List<StorageTarget> targets) {
        FieldCheck names = ConfigValidation.uniqueNames(targets.stream()
                .map(t -> t.getName() == null ? "" : t.getName()).toList());
        if (names.isError()) {
            return names;
        }
        for (StorageTarget t : targets) {
            FieldCheck check = t.validate();
            if (check.isError()) {
                return FieldCheck.error(t.getName() + ": " + check.message());
            }
        }
        return FieldCheck.ok();
    }

    /** Exact, case-sensitive lookup; {@code null} when there is none. */
    public static <T> T byName(List<T> items, String name, Function<T, String> nameOf) {
        if (name == null) {
            return null;
        }
        String wanted = name.trim();
        return items.stream().filter(i -> wanted.equals(nameOf.apply(i))).findFirst().orElse(null);
    }
}
