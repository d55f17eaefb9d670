package io.jenkins.plugins.pgbackup.engine;

import java.io.PrintStream;

/**
 * Where the engine tells the user what it does: the build log in Jenkins, standard output in tests. Lines must never
 * hold a secret.
 */
public interface EngineLog {
    void info(String line);

    void warn(String line);

    /**
     * Pushes what was written so far to its destination. A Jenkins agent's build log is buffered and sent to the
     * controller later; the agent-side work flushes before it returns, so every line is in the console before the step
     * ends.
     */
    default void flush() {}

    /** Writes to a stream, such as a {@code TaskListener}'s logger. */
    static EngineLog to(PrintStream out) {
        return new EngineLog() {
            @Override
            public void info(String line) {
                out.println(line);
            }

            @Override
            public void warn(String line) {
                out.println("WARNING: " + line);
            }

            @Override
            public void flush() {
                out.flush();
            }
        };
    }

    /** Discards everything. */
    static EngineLog none() {
        return new EngineLog() {
            @Override
            public void info(String line) {}

            @Override
            public void warn(String line) {}
        };
    }
}
