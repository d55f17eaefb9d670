package io.jenkins.plugins.pgbackup.overview;

import io.jenkins.plugins.pgbackup.freshness.Ages;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times and checksums as the backups page shows them: an age to read ("25 s", "5 h 12 min") with the exact time on
 * hover, and a checksum's prefix with the whole value on hover. Jenkins' own {@code Util.getTimeSpanString} is not
 * used here so the page model stays testable without Jenkins; {@link Ages} words ages as the alarm messages do.
 */
public final class TimeTexts {
    /** Hex digits of a SHA-256 shown in the table: enough to tell backups apart at a glance. */
    public static final int SHA_PREFIX = 12;

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private TimeTexts() {}

    /** "2026-12-06 11:14:46 UTC" (whole seconds); {@code null} for {@code null}. */
    public static String exact(Instant t) {
        return t == null ? null : EXACT.format(t);
    }

    /**
     * How long before {@code now} ("25 s"); a time ahead of {@code now} (a clock that runs ahead) reads "0 s".
     * {@code null} for {@code null}.
     */
    public static String age(Instant t, Instant now) {
        if (t == null) {
            return null;
        }
        Duration d = Duration.between(t, now);
        return Ages.describe(d.isNegative() ? Duration.ZERO : d);
    }

    /** The first {@value #SHA_PREFIX} characters; shorter values as they are; {@code null} for {@code null}. */
    public static String shortSha(String sha256) {
        return sha256 == null || sha256.length() <= SHA_PREFIX ? sha256 : sha256.substring(0, SHA_PREFIX);
    }
}
