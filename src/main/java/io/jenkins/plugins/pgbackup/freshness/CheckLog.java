package io.jenkins.plugins.pgbackup.freshness;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines a freshness check writes to its task log ({@code JENKINS_HOME/logs/tasks/}): one per rule with its
 * verdict, then what was announced and what waits for the next check. Always at least one line, so each run leaves a
 * trace.
 */
public final class CheckLog {
    private CheckLog() {}

    public static List<String> lines(FreshnessChecker.CheckReport report) {
        List<String> lines = new ArrayList<>();
        if (report.statuses().isEmpty()) {
            lines.add("No connection has a maximum backup age and a storage to check: nothing to check.");
            return lines;
        }
        lines.add("Checked " + report.statuses().size() + (report.statuses().size() == 1 ? " rule" : " rules")
                + " at " + report.checkedAt() + ": " + report.alarms().size() + " in alarm, "
                + report.unknown().size() + " unknown.");
        for (FreshnessStatus s : report.statuses()) {
            FreshnessRule r = s.rule();
            lines.add(s.state() + " " + r.connection() + " (database " + r.database() + " in storage '" + r.target()
                    + "', at most " + Ages.describe(r.maxAge()) + "): " + s.detail());
        }
        for (AlarmTransition t : report.announced()) {
            lines.add("Announced: " + describe(t));
        }
        for (AlarmTransition t : report.undelivered()) {
            lines.add("Not delivered, sent again at the next check: " + describe(t));
        }
        return lines;
    }

    private static String describe(AlarmTransition t) {
        return t.status().rule().connection() + " " + (t.previous() == null ? "(first check)" : t.previous().name())
                + " -> " + t.status().state().name();
    }
}
