package io.jenkins.plugins.pgbackup.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The environment every tool the plugin runs gets instead of the agent's own, in one place: messages in English and
 * nothing from the agent that would change where or how the tools connect.
 *
 * <ul>
 *   <li><b>Language.</b> Agents answer in their users' language ({@code LANGUAGE=de}, {@code LC_ALL=de_DE.UTF-8}),
 *       and the plugin reads the tools' messages (pg_dump's refusal of a server version, the probe's answers) and
 *       shows them. The tools run with {@code LC_MESSAGES=C} and without {@code LANGUAGE}. {@code LC_ALL} would
 *       override {@code LC_MESSAGES}, so it is replaced by each other category set to its value: encodings, collation
 *       and number formats stay what the agent has, only the messages change.</li>
 *   <li><b>libpq's and the clients' variables.</b> {@code PGHOST}, {@code PGSERVICE}, {@code PGSSLMODE},
 *       {@code PGOPTIONS} … fill in whatever the command line leaves out, so an agent's leftovers would silently
 *       change the connection the job configured; {@code PG_COLOR} would put escape codes into the messages. All of
 *       {@link #REMOVED_VARIABLES} are removed. The plugin passes everything it means on the command line, and the
 *       password as its own {@code PGPASSFILE}, which callers add back after this.</li>
 * </ul>
 */
public final class ToolEnvironment {
    /**
     * Every environment variable libpq reads (the {@code envvar} column of libpq's connection options, from 13 to 18,
     * and the defaults it reads besides: {@code PGDATESTYLE}, {@code PGTZ}, {@code PGGEQO}, {@code PGSYSCONFDIR},
     * {@code PGLOCALEDIR}), and those the client programs read (colors, psql's start-up file and history).
     */
    public static final List<String> LIBPQ_VARIABLES = List.of("PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE",
            "PGUSER", "PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR", "PGOPTIONS",
            "PGAPPNAME", "PGCONNECT_TIMEOUT", "PGCLIENTENCODING", "PGTARGETSESSIONATTRS", "PGLOADBALANCEHOSTS",
            "PGREQUIREAUTH", "PGCHANNELBINDING", "PGREQUIREPEER", "PGREQUIRESSL", "PGSSLMODE", "PGSSLNEGOTIATION",
            "PGSSLCOMPRESSION", "PGSSLCERT", "PGSSLKEY", "PGSSLCERTMODE", "PGSSLROOTCERT", "PGSSLCRL", "PGSSLCRLDIR",
            "PGSSLSNI", "PGSSLMINPROTOCOLVERSION", "PGSSLMAXPROTOCOLVERSION", "PGSSLKEYLOGFILE", "PGGSSENCMODE",
            "PGGSSLIB", "PGGSSDELEGATION", "PGKRBSRVNAME", "PGMINPROTOCOLVERSION", "PGMAXPROTOCOLVERSION",
            "PGOAUTHDEBUG", "PGAUTHTYPE", "PGTTY", "PGREALM", "PGDATESTYLE", "PGTZ", "PGGEQO", "PGLOCALEDIR");

    /** What the client programs read besides libpq: message colors, psql's start-up file, history and pagers. */
    public static final List<String> CLIENT_VARIABLES = List.of("PG_COLOR", "PG_COLORS", "PSQLRC", "PSQL_HISTORY",
            "PSQL_PAGER", "PSQL_WATCH_PAGER", "PAGER");

    /** The language variables that would translate the tools' messages, or override {@code LC_MESSAGES}. */
    public static final List<String> LANGUAGE_VARIABLES = List.of("LANGUAGE", "LC_ALL");

    /** Everything removed from the agent's environment. */
    public static final List<String> REMOVED_VARIABLES =
            Stream.of(LIBPQ_VARIABLES, CLIENT_VARIABLES, LANGUAGE_VARIABLES).flatMap(List::stream).toList();

    /** The locale categories that {@code LC_ALL}'s value moves to, all but {@code LC_MESSAGES}. */
    static final List<String> KEPT_CATEGORIES = List.of("LC_CTYPE", "LC_COLLATE", "LC_NUMERIC", "LC_TIME",
            "LC_MONETARY", "LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION");

    private ToolEnvironment() {}

    /**
     * What to set on top of an agent's environment after {@link #REMOVED_VARIABLES} are removed from it: English
     * messages, and {@code LC_ALL}'s value moved to every other category.
     *
     * @param agent the environment the tools would otherwise inherit
     */
    public static Map<String, String> additions(Map<String, String> agent) {
        Map<String, String> add = new LinkedHashMap<>();
        String all = agent.get("LC_ALL");
        if (all != null && !all.isEmpty()) {
            KEPT_CATEGORIES.forEach(category -> add.put(category, all));
        }
        add.put("LC_MESSAGES", "C");
        return add;
    }

    /** Turns an agent's environment, such as {@link ProcessBuilder#environment()}, into the tools' one, in place. */
    public static void applyTo(Map<String, String> environment) {
        Map<String, String> add = additions(environment);
        REMOVED_VARIABLES.forEach(environment::remove);
        environment.putAll(add);
    }
}
