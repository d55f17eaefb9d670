package io.jenkins.plugins.pgbackup.freshness;

import java.time.Duration;

/** Ages as people read them: "3 d 4 h", "5 h 12 min", "40 s". */
public final class Ages {
    private Ages() {}

    public static String describe(Duration d) {
        if (d.isNegative()) {
            return "-" + describe(d.negated());
        }
        long days = d.toDays();
        long hours = d.toHoursPart();
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
