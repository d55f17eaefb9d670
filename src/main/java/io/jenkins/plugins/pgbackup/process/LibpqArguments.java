package io.jenkins.plugins.pgbackup.process;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import java.util.List;

/**
 * The connection options of pg_dump, pg_restore and psql for a {@link ConnectionSpec}, one list element each, never
 * the password (that goes through {@link PgPassFile}).
 */
public final class LibpqArguments {
    /**
     * Inherited variables that would change where or how the tools connect behind the spec's back: every variable
     * libpq reads when an option is absent ({@link ToolEnvironment#LIBPQ_VARIABLES}). {@link ProcessRunner} removes
     * them from every program's environment anyway.
     */
    public static final List<String> INHERITED_VARIABLES_TO_REMOVE = ToolEnvironment.LIBPQ_VARIABLES;

    private LibpqArguments() {}

    /**
     * {@code --host H --port P --username U --no-password --dbname dbname='D'}. The database goes in libpq's
     * conninfo form because libpq reads a plain {@code --dbname} value that contains {@code =} or starts with
     * {@code postgresql://} as a connection string; quoted, any name is taken literally.
     */
    public static List<String> connectionArguments(ConnectionSpec spec) {
        return List.of("--host", spec.getHost(), "--port", Integer.toString(spec.getPort()), "--username",
                spec.getUsername(), "--no-password", "--dbname", dbnameConninfo(spec.getDatabase()));
    }

    /** {@code dbname='...'} with {@code \} and {@code '} escaped, as libpq's conninfo syntax wants. */
    public static String dbnameConninfo(String database) {
        return "dbname=" + quote(database);
    }

    /** A conninfo value in single quotes. */
    public static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
