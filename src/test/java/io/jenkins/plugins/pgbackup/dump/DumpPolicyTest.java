package io.jenkins.plugins.pgbackup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.dump.DumpPolicy.Choice;
import io.jenkins.plugins.pgbackup.dump.DumpPolicy.Client;
import io.jenkins.plugins.pgbackup.tools.ClientTool.Support;
import org.junit.jupiter.api.Test;

class DumpPolicyTest {
    private static final Client PG17_FULL = new Client(17, true, true, true);
    private static final Client PG17_NO_ZSTD = new Client(17, true, true, false);
    private static final Client PG15 = new Client(15, true, false, false);

    @Test
    void defaultsToCustomFormatWithZstdWhenTheClientHasIt() {
        Choice c = DumpPolicy.choose(null, null, 0, PG17_FULL);
        assertEquals(DumpFormat.CUSTOM, c.format());
        assertEquals(DumpPolicy.DEFAULT_ZSTD, c.compression());
        assertEquals(1, c.jobs());
    }

    @Test
    void fallsBackToGzipSixForClientsBefore16OrWithoutZstd() {
        assertEquals(DumpPolicy.DEFAULT_GZIP, DumpPolicy.choose(null, null, 0, PG15).compression());
        Choice c = DumpPolicy.choose(null, null, 0, PG17_NO_ZSTD);
        assertEquals(DumpPolicy.DEFAULT_GZIP, c.compression());
        assertTrue(c.rationale().contains("without zstd"), c.rationale());
    }

    @Test
    void refusesZstdForAClientThatCannotWriteIt() {
        var tooOld = assertThrows(IllegalArgumentException.class,
                () -> DumpPolicy.choose(DumpFormat.CUSTOM, Compression.parse("zstd"), 0, PG15));
        assertTrue(tooOld.getMessage().contains("pg_dump 16 or newer"), tooOld.getMessage());
        var notBuilt = assertThrows(IllegalArgumentException.class,
                () -> DumpPolicy.choose(DumpFormat.CUSTOM, Compression.parse("zstd:5"), 0, PG17_NO_ZSTD));
        assertTrue(notBuilt.getMessage().contains("built without zstd"), notBuilt.getMessage());
    }

    @Test
    void autoTriesAGzipTheProbeCouldNotReadAndSaysSo() {
        Client unread = new Client(17, Support.UNKNOWN, Support.UNKNOWN, Support.UNKNOWN,
                "gzip: pg_dump: Fehler: unbekannt; lz4: pg_dump: Fehler: unbekannt; zstd: pg_dump: Fehler: unbekannt");
        Choice c = DumpPolicy.choose(null, null, 0, unread);
        assertEquals(DumpPolicy.DEFAULT_GZIP, c.compression(), "unknown is tried, never none");
        assertTrue(c.rationale().contains("could not tell whether it supports gzip (pg_dump said: pg_dump: Fehler: "
                + "unbekannt)"), c.rationale());
    }

    @Test
    void autoEndsInNoneOnlyOnPgDumpsOwnNoAndQuotesIt() {
        Client noZlib = new Client(15, Support.NO, Support.NO, Support.NO, "gzip: pg_dump: warning: requested "
                + "compression not available in this installation -- archive will be uncompressed");
        Choice c = DumpPolicy.choose(null, null, 0, noZlib);
        assertEquals(Compression.NONE, c.compression());
        assertTrue(c.rationale().contains("built without zlib (pg_dump said: pg_dump: warning: requested compression "
                + "not available in this installation"), c.rationale());
    }

    @Test
    void anExplicitMethodTheProbeCouldNotReadIsLeftToPgDump() {
        Client unread = new Client(17, Support.YES, Support.YES, Support.UNKNOWN, "zstd: pg_dump: ???");
        Choice c = DumpPolicy.choose(DumpFormat.CUSTOM, Compression.parse("zstd:5"), 0, unread);
        assertEquals("zstd:5", c.compression().toString());
        assertTrue(c.rationale().contains("could not tell whether pg_dump 17 supports zstd (pg_dump said: pg_dump: ???)"
                + ", so pg_dump decides"), c.rationale());
        Client refused = new Client(17, Support.YES, Support.YES, Support.NO,
                "zstd: pg_dump: error: this build does not support compression with ZSTD");
        var e = assertThrows(IllegalArgumentException.class,
                () -> DumpPolicy.choose(DumpFormat.CUSTOM, Compression.parse("zstd"), 0, refused));
        assertTrue(e.getMessage().contains("this build does not support compression with ZSTD"), e.getMessage());
    }

    @Test
    void keepsAnExplicitChoiceTheClientSupports() {
        Choice c = DumpPolicy.choose(DumpFormat.PLAIN, Compression.parse("gzip:9"), 0, PG15);
        assertEquals(DumpFormat.PLAIN, c.format());
        assertEquals("gzip:9", c.compression().toString());
    }

    @Test
    void neverCompressesTarAndRefusesToBeAskedTo() {
        assertEquals(Compression.NONE, DumpPolicy.choose(DumpFormat.TAR, null, 0, PG17_FULL).compression());
        assertThrows(IllegalArgumentException.class,
                () -> DumpPolicy.choose(DumpFormat.TAR, Compression.parse("gzip"), 0, PG17_FULL));
    }

    @Test
    void allowsParallelJobsOnlyForTheDirectoryFormat() {
        assertEquals(4, DumpPolicy.choose(DumpFormat.DIRECTORY, null, 4, PG17_FULL).jobs());
        var e = assertThrows(IllegalArgumentException.class,
                () -> DumpPolicy.choose(DumpFormat.CUSTOM, null, 4, PG17_FULL));
        assertTrue(e.getMessage().contains("directory format"), e.getMessage());
    }

    @Test
    void formatIdsRoundTrip() {
        for (DumpFormat f : DumpFormat.values()) {
            assertEquals(f, DumpFormat.fromId(f.id()));
            assertEquals(f, DumpFormat.fromId(f.flag()));
        }
        assertEquals(DumpFormat.CUSTOM, DumpFormat.fromId(""));
        assertThrows(IllegalArgumentException.class, () -> DumpFormat.fromId("zip"));
    }
}
