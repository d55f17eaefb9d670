package io.jenkins.plugins.pgbackup.freshness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The periodic check's log where Jenkins keeps its tasks' logs: runs appended, the file rotated once it is big. */
class TaskLogFileTest {
    private static final Instant T0 = Instant.parse("2026-12-06T11:14:46Z");

    @TempDir
    Path home;

    @Test
    void eachRunIsAppendedBetweenItsStartAndFinishInAFolderMadeForIt() throws Exception {
        Path file = home.resolve("logs/tasks/PostgreSQL backup freshness check.log");
        TaskLogFile log = new TaskLogFile(file);
        log.append(T0, T0.plusMillis(250), List.of("STALE prod-app: old"));
        log.append(T0.plusSeconds(300), T0.plusSeconds(301), List.of("FRESH prod-app: young"));
        assertEquals(List.of("Started at 2026-12-06T11:14:46Z", "STALE prod-app: old",
                "Finished at 2026-12-06T11:14:46.250Z (250 ms)", "Started at 2026-12-06T11:19:46Z",
                "FRESH prod-app: young", "Finished at 2026-12-06T11:19:47Z (1000 ms)"), Files.readAllLines(file));
    }

    @Test
    void aLogPastItsLimitMovesAsideSoItNeverGrowsWithoutEnd() throws Exception {
        Path file = home.resolve("check.log");
        TaskLogFile log = new TaskLogFile(file, 100);
        log.append(T0, T0, List.of("x".repeat(120)));
        log.append(T0, T0, List.of("second run"));
        Path previous = home.resolve("check.log.1");
        assertTrue(Files.readString(previous).contains("x".repeat(120)));
        assertEquals(List.of("Started at 2026-12-06T11:14:46Z", "second run", "Finished at 2026-12-06T11:14:46Z (0 ms)"),
                Files.readAllLines(file));
        log.append(T0, T0, List.of("third run"));
        assertFalse(Files.readString(previous).contains("second run"), "still under the limit: not rotated");
    }
}
