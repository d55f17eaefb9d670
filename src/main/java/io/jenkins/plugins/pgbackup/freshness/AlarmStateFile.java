package io.jenkins.plugins.pgbackup.freshness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The alarm states, kept in a small properties file (on the controller: in JENKINS_HOME) so a restart neither repeats
 * a "stale" message nor misses a "recovered" one. Written to a temporary file and moved into place, so a crash leaves
 * the old or the new content, never half. Entries: {@code <connection>=<STATE> <since>}.
 */
public final class AlarmStateFile {
    private static final Logger LOGGER = Logger.getLogger(AlarmStateFile.class.getName());

    private final Path file;

    public AlarmStateFile(Path file) {
        this.file = file;
    }

    public Path getFile() {
        return file;
    }

    /** The recorded states by connection name; empty if the file does not exist. Unreadable entries are skipped. */
    public Map<String, RecordedAlarm> load() throws IOException {
        Map<String, RecordedAlarm> result = new TreeMap<>();
        if (!Files.exists(file)) {
            return result;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        for (String name : p.stringPropertyNames()) {
            RecordedAlarm a = parse(p.getProperty(name));
            if (a == null) {
                LOGGER.log(Level.WARNING, "Ignoring unreadable alarm state for {0} in {1}", new Object[] {name, file});
            } else {
                result.put(name, a);
            }
        }
        return result;
    }

    public void save(Map<String, RecordedAlarm> states) throws IOException {
        Properties p = new Properties();
        states.forEach((name, a) -> p.setProperty(name, a.state().name() + " " + a.since()));
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Path name = absolute.getFileName();
        if (dir == null || name == null) {
            throw new IOException("Not a file path for the alarm states: " + file);
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, name.toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "PostgreSQL Backup: freshness alarm states");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static RecordedAlarm parse(String value) {
        String[] parts = value == null ? new String[0] : value.trim().split(" ", 2);
        if (parts.length != 2) {
            return null;
        }
        try {
            FreshnessState s = FreshnessState.valueOf(parts[0]);
            return s == FreshnessState.UNKNOWN ? null : new RecordedAlarm(s, Instant.parse(parts[1]));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return null;
        }
    }
}
