package io.jenkins.plugins.pgbackup.process;

import java.util.Locale;

/**
 * Picks the line of a PostgreSQL client's standard error that says what went wrong, for pg_dump, pg_restore and psql
 * alike. The first error wins: later ones are usually its consequences ("current transaction is aborted", a failed
 * statement's dependants), and the lines after an error are its detail and hint.
 */
public final class StderrLines {
    /** What a client prints when it said nothing at all. */
    public static final String NO_OUTPUT = "(no error output)";

    private StderrLines() {}

    /**
     * The first line that reports an error: the clients' "error:", the server's "ERROR:", a "FATAL:" (any case), or
     * {@code null} when there is none.
     */
    public static String firstError(String stderr) {
        if (stderr == null) {
            return null;
        }
        for (String line : stderr.split("\n")) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.contains("error:") || l.contains("fatal:")) {
                return line.strip();
            }
        }
        return null;
    }

    /** The first error line, else the last line that is not blank, else {@link #NO_OUTPUT}. */
    public static String telling(String stderr) {
        String error = firstError(stderr);
        if (error != null) {
            return error;
        }
        String[] lines = stderr == null ? new String[0] : stderr.strip().split("\n");
        String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
        return last.isEmpty() ? NO_OUTPUT : last;
    }
}
