package io.jenkins.plugins.pgbackup.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to start: the program and its arguments (never parsed by a shell), the environment to add and to remove, the
 * working directory ({@code null} to inherit), and whether stdin is fed (otherwise it is closed at once).
 */
public record ProcessSpec(List<String> command, Map<String, String> environment, Set<String> removedEnvironment,
        Path directory, boolean feedsStdin) {

    public ProcessSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        removedEnvironment = Set.copyOf(removedEnvironment);
    }
}
