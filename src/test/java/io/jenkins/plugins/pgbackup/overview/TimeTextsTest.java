package io.jenkins.plugins.pgbackup.overview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Times and checksums on the backups page: short to read, exact on hover. */
class TimeTextsTest {
    private static final Instant MADE = Instant.parse("2026-12-06T11:14:46.711868347Z");

    @Test
    void theExactTimeIsToTheSecondInUtcNotTheRawInstant() {
        assertEquals("2026-12-06 11:14:46 UTC", TimeTexts.exact(MADE));
        assertNull(TimeTexts.exact(null));
    }

    @Test
    void anAgeReadsLikeTheAlarmMessages() {
        assertEquals("25 s", TimeTexts.age(MADE, MADE.plusSeconds(25)));
        assertEquals("5 h 12 min", TimeTexts.age(MADE, MADE.plus(Duration.ofMinutes(312))));
        assertEquals("3 d 4 h", TimeTexts.age(MADE, MADE.plus(Duration.ofHours(76))));
        assertNull(TimeTexts.age(null, MADE));
    }

    @Test
    void aTimeAheadOfTheControllersClockIsNoNegativeAge() {
        assertEquals("0 s", TimeTexts.age(MADE.plusSeconds(40), MADE));
    }

    @Test
    void aSha256IsShortenedToItsFirstTwelveHexDigits() {
        String sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assertEquals("9f86d081884c", TimeTexts.shortSha(sha));
        assertEquals("abc", TimeTexts.shortSha("abc"));
        assertNull(TimeTexts.shortSha(null));
    }

    @Test
    void versionsAndFormatsAreJoinedWithTheirSpaces() {
        BackupRow r = new BackupRow();
        r.postgresVersion = "15";
        r.serverVersion = "15.18";
        r.format = "custom";
        r.compression = "zstd:3";
        assertEquals("15 (15.18)", r.getVersionText());
        assertEquals("custom, zstd:3", r.getFormatText());
        r.serverVersion = null;
        r.compression = null;
        assertEquals("15", r.getVersionText());
        assertEquals("custom", r.getFormatText());
        r.postgresVersion = null;
        r.serverVersion = "16.4";
        assertEquals("16.4", r.getVersionText());
    }
}
