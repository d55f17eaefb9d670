package io.jenkins.plugins.pgbackup.tools;

import java.util.Locale;

/** The PostgreSQL client programs the plugin runs. */
public enum ToolKind {
    PG_DUMP, PG_RESTORE, PSQL, PG_DUMPALL;

    /** The program's name: "pg_dump". */
    public String command() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file name on this system: "pg_dump", or "pg_dump.exe" on Windows. */
    String fileName(boolean windows) {
        return windows ? command() + ".exe" : command();
    }
}
