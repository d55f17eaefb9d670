package io.jenkins.plugins.pgbackup.freshness;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The log of a periodic task where Jenkins keeps those of its own ({@code JENKINS_HOME/logs/tasks/<name>.log}): each
 * run appends its lines between a start and a finish line; past {@link #ROTATE_BYTES} the file moves to
 * {@code <name>.log.1} (replacing the one before), so the log never grows without end.
 */
public final class TaskLogFile {
    /** As Jenkins' own periodic tasks: 10 MB. */
    public static final long ROTATE_BYTES = 10L * 1024 * 1024;

    private final Path file;
    private final long rotateBytes;

    public TaskLogFile(Path file) {
        this(file, ROTATE_BYTES);
    }

    TaskLogFile(Path file, long rotateBytes) {
        this.file = file;
        this.rotateBytes = rotateBytes;
    }

    public Path getFile() {
        return file;
    }

    /** Appends one run: "Started at ...", the lines, "Finished at ... (N ms)". */
    public synchronized void append(Instant started, Instant finished, List<String> lines) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (Files.isRegularFile(file) && Files.size(file) > rotateBytes) {
            Path previous = file.resolveSibling(file.getFileName() + ".1");
            Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            w.write("Started at " + started + System.lineSeparator());
            for (String line : lines) {
                w.write(line + System.lineSeparator());
            }
            w.write("Finished at " + finished + " (" + Duration.between(started, finished).toMillis() + " ms)"
                    + System.lineSeparator());
        }
    }
}
