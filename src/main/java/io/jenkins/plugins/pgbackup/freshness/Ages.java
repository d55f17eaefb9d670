package io.jenkins.plugins.pgbackup.freshness;

import java.time.Duration;

/** Ages as people read them: "3 d 4 h", "25 h", "5 h 12 min", "40 s"; hours up to three days, as limits are set. */
public final class Ages {
    private Ages() {}

    public static String describe(Duration d) {
        if (d.isNegative()) {
            return "-" + describe(d.negated());
        }
        long days = d.toHours() < 72 ? 0 : d.toDays();
        long hours = days == 0 ? d.toHours() : d.toHoursPart();
        long minutes = d.toMinutesPart();
        if (days > 0) {
            return hours == 0 ? days + " d" : days + " d " + hours + " h";
        }
        if (hours > 0) {
            return minutes == 0 ? hours + " h" : hours + " h " + minutes + " min";
        }
        if (minutes > 0) {
            return minutes + " min";
        }
        return d.toSecondsPart() + " s";
    }
}
