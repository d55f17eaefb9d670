package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.PluginSettings;
import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.signing.RestoreGrant;
import io.jenkins.plugins.pgbackup.signing.RestoreTicket;
import io.jenkins.plugins.pgbackup.verify.ScratchDatabases;
import io.jenkins.plugins.pgbackup.verify.VerifyRequest;
import io.jenkins.plugins.pgbackup.verify.VerifyResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * From what the user configured to a {@link VerifyPlan} on the controller, and from the plan to the engine's
 * {@link VerifyRequest} on the agent. The restore part is {@link RestoreRequestMapper}'s, so key, latest, storage and
 * connection follow exactly {@code pgRestore}'s rules. Jenkins-free apart from {@link AbortException}.
 */
public final class VerifyRequestMapper {

    private VerifyRequestMapper() {}

    /**
     * @param build the build number (default scratch name {@code pgverify_<db>_<build>})
     * @param buildUrl the build's URL relative to Jenkins, for the stored record; may be {@code null}
     * @throws AbortException for anything the user must fix, with what to do
     */
    public static VerifyPlan map(VerifyOptions o, PluginSettings settings, CredentialLookup credentials,
            String searchPath, String build, String buildUrl) throws AbortException {
        RestorePlan restore = RestoreRequestMapper.map(o.toRestoreOptions(), settings, credentials, searchPath);
        if (o.getScratchDatabase() != null) {
            String problem = ScratchDatabases.problem(o.getScratchDatabase()).orElse(null);
            if (problem != null) {
                throw new AbortException(Messages.Mapping_Invalid("scratchDatabase", problem));
            }
        }
        return new VerifyPlan(restore, o.getScratchDatabase(), build, buildUrl, minRows(o.getMinRows()),
                sql(o.getSql()));
    }

    /** {@code public.orders=1000}, one per line or separated by commas; {@code :} works as well as {@code =}. */
    static Map<String, Long> minRows(String text) throws AbortException {
        Map<String, Long> rows = new LinkedHashMap<>();
        if (text == null) {
            return rows;
        }
        for (String entry : text.split("[,\\n]")) {
            if (entry.isBlank()) {
                continue;
            }
            int at = Math.max(entry.lastIndexOf('='), entry.lastIndexOf(':'));
            String table = at < 0 ? "" : entry.substring(0, at).trim();
            long min;
            try {
                min = at < 0 ? -1 : Long.parseLong(entry.substring(at + 1).trim());
            } catch (NumberFormatException e) {
                min = -1;
            }
            if (table.isEmpty() || min < 0) {
                throw new AbortException(Messages.Mapping_MinRows(entry.trim()));
            }
            rows.put(unquote(table), min);
        }
        return rows;
    }

    /** Groovy map keys often arrive quoted when written as text: {@code 'public.orders'}. */
    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
    }

    /** One query per non-blank line. */
    static List<String> sql(String text) {
        List<String> queries = new ArrayList<>();
        if (text != null) {
            text.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(queries::add);
        }
        return queries;
    }

    /**
     * What Pipeline scripts may pass that the form cannot: {@code minRows: ['public.orders': 1000]} and
     * {@code sql: ['select ...', ...]}, turned into the text the form and the snippet generator use.
     */
    static Object pipelineArgument(String name, Object value) {
        if ("minRows".equals(name) && value instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n"));
        }
        if ("sql".equals(name) && value instanceof Collection<?> c) {
            return c.stream().map(q -> String.valueOf(q).replaceAll("\\s*\\R\\s*", " ").strip())
                    .collect(Collectors.joining("\n"));
        }
        return value;
    }

    /** The engine's request, built on the agent. */
    public static VerifyRequest toRequest(VerifyPlan plan, List<VersionCacheStore.Entry> cached,
            String pathSeparator) {
        return toRequest(plan, cached, pathSeparator, null);
    }

    /** As {@link #toRequest(VerifyPlan, List, String)}, with the clients started by {@code starter}. */
    static VerifyRequest toRequest(VerifyPlan plan, List<VersionCacheStore.Entry> cached, String pathSeparator,
            ProcessStarter starter) {
        return toRequest(plan, cached, pathSeparator, starter, null, null);
    }

    /** As {@link #toRequest(VerifyPlan, List, String, ProcessStarter)}, reading what the controller signs. */
    public static VerifyRequest toRequest(VerifyPlan plan, List<VersionCacheStore.Entry> cached,
            String pathSeparator, ProcessStarter starter, RestoreTicket ticket, RestoreGrant grant) {
        return VerifyRequest.builder(RestoreRequestMapper.toRequest(plan.restore(), cached, pathSeparator, starter,
                        ticket, grant))
                .scratchDatabase(plan.scratchDatabase())
                .build(plan.build())
                .buildUrl(plan.buildUrl())
                .minRows(plan.minRows())
                .sql(plan.sql())
                .build();
    }

    /** The agent's copy of the plan: the restore's {@link RestorePlan#forAgent()}. */
    static VerifyPlan forAgent(VerifyPlan plan) {
        RestorePlan agent = plan.restore().forAgent();
        return agent == plan.restore() ? plan : new VerifyPlan(agent, plan.scratchDatabase(), plan.build(),
                plan.buildUrl(), plan.minRows(), plan.sql());
    }

    public static VerifyOutcome outcome(VerifyResult r) {
        return new VerifyOutcome(r.getRecord(), r.getRecordKey(), VersionCacheStore.fromSnapshot(r.getVersions()));
    }
}
