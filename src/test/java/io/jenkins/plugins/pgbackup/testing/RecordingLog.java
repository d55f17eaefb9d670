package io.jenkins.plugins.pgbackup.testing;

import io.jenkins.plugins.pgbackup.engine.EngineLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EngineLog} that keeps its lines for assertions ("INFO: ..." and "WARN: ..."). */
public final class RecordingLog implements EngineLog {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void info(String line) {
        lines.add("INFO: " + line);
    }

    @Override
    public void warn(String line) {
        lines.add("WARN: " + line);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<String> warnings() {
        return lines.stream().filter(l -> l.startsWith("WARN: ")).toList();
    }

    public String all() {
        return String.join("\n", lines);
    }
}
