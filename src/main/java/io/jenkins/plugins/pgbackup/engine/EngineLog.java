package io.jenkins.plugins.pgbackup.engine;

import java.io.PrintStream;

/**
 * Where the engine tells the user what it does: the build log in Jenkins, standard output in tests. Lines must never
 * hold a secret.
 */
public interface EngineLog {
    void info(String line);

    void warn(String line);

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
