package io.jenkins.plugins.pgbackup.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** pg_dumpall (for includeGlobals) is chosen exactly as pg_dump is, among the installer's real clients. */
@EnabledOnOs(OS.LINUX)
class PgDumpallResolutionTest {
    private static ToolResolver clients() {
        return new ToolResolver(ToolLocations.of(List.of(), List.of(PgClients.requireRoot().toString()), List.of()));
    }

    @Test
    void theServersMajorElseTheLowestNewerOneNeverAnOlderOne() throws Exception {
        ToolResolver r = clients();
        for (String server : List.of("13.4", "15.10", "16.2", "17.0", "18.1")) {
            PostgresVersion v = PostgresVersion.parse(server);
            ClientTool dumpall = r.resolvePgDumpall(v, new RecordingLog());
            ClientTool dump = r.resolvePgDump(v, new RecordingLog());
            assertEquals(ToolKind.PG_DUMPALL, dumpall.kind());
            assertEquals(dump.version(), dumpall.version(), "server " + server);
            assertEquals(dump.binDir(), dumpall.binDir(), "server " + server);
            assertEquals("pg_dumpall", dumpall.executable().getFileName().toString());
        }
        assertEquals(17, r.resolvePgDumpall(PostgresVersion.parse("16.2"), new RecordingLog()).version().major());
    }

    @Test
    void anUnknownServerGetsTheNewestWithAWarningAndANewerServerNone() throws Exception {
        RecordingLog log = new RecordingLog();
        ClientTool newest = clients().resolvePgDumpall(null, log);
        assertEquals(18, newest.version().major());
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("newest pg_dumpall")), log.all());

        NoSuitableClientException e = assertThrows(NoSuitableClientException.class,
                () -> clients().resolvePgDumpall(PostgresVersion.parse("19.0"), new RecordingLog()));
        assertTrue(e.getMessage().contains("No pg_dumpall can back up this PostgreSQL 19.0 server"), e.getMessage());
    }
}
