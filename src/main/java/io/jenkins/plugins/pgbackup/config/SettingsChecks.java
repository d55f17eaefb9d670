package io.jenkins.plugins.pgbackup.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Checks over whole lists of connections and storage targets, with messages that say which entry is wrong. */
public final class SettingsChecks {
    private SettingsChecks() {}

    /** Every connection, fully: names first, then each connection's fields (the form's rule). */
    public static FieldCheck connections(List<DatabaseConnection> connections) {
        FieldCheck names = connectionNames(connections);
        return names.isError() ? names : firstEntryProblem(entryProblems(connections, DatabaseConnection::getName,
                DatabaseConnection::validate));
    }

    /** Every storage target, fully: names first, then each target's fields (the form's rule). */
    public static FieldCheck storageTargets(List<StorageTarget> targets) {
        FieldCheck names = storageTargetNames(targets);
        return names.isError() ? names : firstEntryProblem(entryProblems(targets, StorageTarget::getName,
                StorageTarget::validate));
    }

    /** Steps find connections by name: every one needs a valid name, and no two the same. */
    public static FieldCheck connectionNames(List<DatabaseConnection> connections) {
        return ConfigValidation.uniqueNames(connections.stream()
                .map(c -> c.getName() == null ? "" : c.getName()).toList());
    }

    /** Steps find storage targets by name: every one needs a valid name, and no two the same. */
    public static FieldCheck storageTargetNames(List<StorageTarget> targets) {
        return ConfigValidation.uniqueNames(targets.stream()
                .map(t -> t.getName() == null ? "" : t.getName()).toList());
    }

    /** "name: what is wrong" for every entry with an invalid field, in order. */
    public static <T> List<String> entryProblems(List<T> items, Function<T, String> nameOf,
            Function<T, FieldCheck> validate) {
        List<String> problems = new ArrayList<>();
        for (T item : items) {
            FieldCheck check = validate.apply(item);
            if (check.isError()) {
                problems.add(nameOf.apply(item) + ": " + check.message());
            }
        }
        return problems;
    }

    private static FieldCheck firstEntryProblem(List<String> problems) {
        return problems.isEmpty() ? FieldCheck.ok() : FieldCheck.error(problems.get(0));
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
