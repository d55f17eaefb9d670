package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.engine.EngineLog;
import java.util.Comparator;
import java.util.List;

/**
 * Masks secrets in every line before it reaches the build log. The engine never logs a secret on purpose; this is the
 * second line of defence, for text that comes from a server or a tool.
 */
public final class MaskingEngineLog implements EngineLog {

    static final String MASK = "****";

    private final EngineLog delegate;
    private final List<String> secrets;

    public MaskingEngineLog(EngineLog delegate, List<String> secrets) {
        this.delegate = delegate;
        // longest first, so a secret that contains another is masked whole
        this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    @Override
    public void info(String line) {
        delegate.info(mask(line));
    }

    @Override
    public void warn(String line) {
        delegate.warn(mask(line));
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    public String mask(String line) {
        if (line == null) {
            return null;
        }
        String out = line;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }
}
