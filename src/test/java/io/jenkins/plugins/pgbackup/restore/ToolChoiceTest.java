package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.restore.ToolChoice.Dump;
import io.jenkins.plugins.pgbackup.restore.ToolChoice.InstalledClient;
import io.jenkins.plugins.pgbackup.restore.ToolChoice.Tool;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveFormat;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveHeaderReader;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveVersions;
import io.jenkins.plugins.pgbackup.restore.archive.CompressionAlgorithm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolChoiceTest {

    private static PostgresVersion v(String s) {
        return PostgresVersion.parse(s);
    }

    private static InstalledClient client(String version) {
        return new InstalledClient(v(version), true, true, true);
    }

    private static InstalledClient withoutZstdOrLz4(String version) {
        return new InstalledClient(v(version), true, false, false);
    }

    private static List<InstalledClient> clients(String... versions) {
        return Arrays.stream(versions).map(ToolChoiceTest::client).toList();
    }

    private static Dump custom(int minor, String pgDump, CompressionAlgorithm c) {
        return Dump.archive(ArchiveFormat.CUSTOM, 1, minor, pgDump == null ? null : v(pgDump), c);
    }

    private static Dump plain(String pgDump, boolean restrict) {
        return Dump.plain(pgDump == null ? null : v(pgDump), restrict, CompressionAlgorithm.NONE);
    }

    private static String chosen(ToolChoice<InstalledClient> c) {
        assertTrue(c.isPossible(), c.explanation());
        return c.client().version().toString();
    }

    // --- archives: version rules ---

    @Test
    void prefersTheTargetServersOwnMajor() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(14, "15.4", CompressionAlgorithm.GZIP), v("15.8"),
                clients("13.22", "15.14", "17.6", "18.1"));
        assertEquals("15.14", chosen(c));
        assertEquals(Tool.PG_RESTORE, c.tool());
        assertFalse(c.filterTransactionTimeout());
        assertEquals(15, c.requiredMajor());
        assertTrue(c.explanation().startsWith("pg_restore 15.14 restores the custom archive 1.14 (gzip) written by "
                + "pg_dump 15.4: pg_restore must be at least 15"), c.explanation());
        assertTrue(c.explanation().contains("It is the target server's own major (15)"), c.explanation());
        assertTrue(c.explanation().contains("Not chosen: 13.22 (older than 15)"), c.explanation());
        assertNull(c.installHint());
    }

    @Test
    void takesTheNewestMinorOfTheChosenMajor() {
        assertEquals("17.6", chosen(ToolChoice.choose(custom(16, "17.0", CompressionAlgorithm.NONE), v("17.1"),
                clients("17.2", "17.6", "17.4"))));
    }

    @Test
    void refusesClientsOlderThanThePgDumpThatWroteTheArchive() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(16, "17.6", CompressionAlgorithm.GZIP), v("17.6"),
                clients("13.22", "15.14"));
        assertFalse(c.isPossible());
        assertNull(c.client());
        assertEquals(17, c.requiredMajor());
        String m = c.explanation();
        assertTrue(m.startsWith("No installed PostgreSQL client can restore the custom archive 1.16 (gzip) written by "
                + "pg_dump 17.6 into server 17.6: pg_restore must be at least 17 (pg_restore 16 and older refuse "
                + "archive 1.16; the archive was written by pg_dump 17.6)"), m);
        assertTrue(m.contains("Installed: 13.22 (older than 17), 15.14 (older than 17)."), m);
        assertEquals("Install postgresql-client-17, built with gzip (the apt.postgresql.org and Debian packages are) "
                + "on the agent.", c.installHint());
        assertTrue(m.endsWith(c.installHint()), m);
    }

    @Test
    void theInstallHintNamesTheTargetsMajorWhenItIsNewEnough() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(16, "17.6", CompressionAlgorithm.NONE), v("18.1"),
                clients("15.14"));
        assertEquals("Install postgresql-client-18 on the agent.", c.installHint());
    }

    @Test
    void saysSoWhenTheAgentHasNoClient() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(14, "15.4", CompressionAlgorithm.NONE), v("15.4"),
                List.of());
        assertFalse(c.isPossible());
        assertTrue(c.explanation().contains("This agent has no PostgreSQL client at all."), c.explanation());
        assertEquals("Install postgresql-client-15 on the agent.", c.installHint());
    }

    @Test
    void theArchiveVersionAloneSetsTheFloorWhenThePgDumpIsUnknown() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(15, null, CompressionAlgorithm.NONE), v("16.2"),
                clients("15.14", "17.6"));
        assertEquals("17.6", chosen(c));
        assertEquals(16, c.requiredMajor());
        assertTrue(c.explanation().contains("pg_restore 15 and older refuse archive 1.15"), c.explanation());
        assertTrue(c.filterTransactionTimeout(), "17 into 16");
    }

    @Test
    void aPgDumpNewerThanItsArchiveVersionStillSetsTheFloor() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(16, "18.1", CompressionAlgorithm.NONE), v("17.6"),
                clients("17.6", "18.1"));
        assertEquals("18.1", chosen(c));
        assertEquals(18, c.requiredMajor());
        assertFalse(c.filterTransactionTimeout(), "the target is 17: it knows transaction_timeout");
        assertTrue(c.explanation().contains("No usable client has the target server's major (17) or an older one"),
                c.explanation());
    }

    @Test
    void oldArchivesAcceptEverySupportedClient() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(14, null, CompressionAlgorithm.GZIP), v("13.4"),
                clients("13.22", "18.1"));
        assertEquals("13.22", chosen(c));
        assertEquals(12, c.requiredMajor());
        assertTrue(c.explanation().contains("every pg_restore this plugin supports reads archive 1.14"),
                c.explanation());
        assertEquals(0, ToolChoice.choose(custom(12, null, CompressionAlgorithm.GZIP), null, clients("13.22"))
                .requiredMajor());
    }

    @Test
    void anArchiveNewerThanThisPluginKnowsNeedsItsPgDump() {
        ToolChoice<InstalledClient> known = ToolChoice.choose(custom(17, "19.1", CompressionAlgorithm.NONE), v("19.1"),
                clients("18.1", "19.1"));
        assertEquals("19.1", chosen(known));
        assertTrue(known.explanation().contains("archive 1.17 is newer than this plugin knows"), known.explanation());
        ToolChoice<InstalledClient> unknown = ToolChoice.choose(custom(17, null, CompressionAlgorithm.NONE), v("19.1"),
                clients("18.1", "19.1"));
        assertFalse(unknown.isPossible());
        assertTrue(unknown.explanation().contains("archive version 1.17 is newer than this plugin knows, and the "
                + "archive does not say which pg_dump wrote it."), unknown.explanation());
        assertEquals("Install the postgresql-client of the pg_dump that wrote it.", unknown.installHint());
    }

    // --- preference when the target's major is not installed ---

    @Test
    void intoANewerServerTheNewestOlderClientIsUsed() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(14, "13.4", CompressionAlgorithm.GZIP), v("18.1"),
                clients("13.22", "15.14", "17.6"));
        assertEquals("17.6", chosen(c));
        assertFalse(c.filterTransactionTimeout());
        assertTrue(c.explanation().contains("this is the newest older one, which restores into a newer server"),
                c.explanation());
    }

    @Test
    void intoAnOlderServerAnOlderClientIsPreferredOverOneThatNeedsTheFilter() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(14, "13.4", CompressionAlgorithm.GZIP), v("16.4"),
                clients("13.22", "15.14", "17.6", "18.1"));
        assertEquals("15.14", chosen(c));
        assertFalse(c.filterTransactionTimeout());
    }

    @Test
    void aNewerDumpIntoAnOlderServerUsesTheOldestNewerClientAndFilters() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(16, "17.6", CompressionAlgorithm.ZSTD), v("16.4"),
                clients("15.14", "17.6", "18.1"));
        assertEquals("17.6", chosen(c));
        assertTrue(c.filterTransactionTimeout());
        assertTrue(c.explanation().contains("The target server 16.4 is older than 17 and rejects the "
                + "\"SET transaction_timeout = 0;\" that pg_restore 17 writes: that statement must be filtered out"),
                c.explanation());
        assertTrue(c.explanation().contains("this is the oldest newer one"), c.explanation());
    }

    @Test
    void anOlderDumpRestoredOnlyByANewerClientIntoAnOldServerFilters() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(14, "15.4", CompressionAlgorithm.GZIP), v("15.4"),
                clients("17.6", "18.1"));
        assertEquals("17.6", chosen(c));
        assertTrue(c.filterTransactionTimeout(), "pg_restore 17 writes the SET whatever the archive");
    }

    @Test
    void withTheTargetUnknownTheOldestClientThatCanIsUsed() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(14, "15.4", CompressionAlgorithm.GZIP), null,
                clients("18.1", "13.22", "15.14", "17.6"));
        assertEquals("15.14", chosen(c));
        assertFalse(c.filterTransactionTimeout());
        assertTrue(c.explanation().contains("The target server's version is unknown"), c.explanation());
        ToolChoice<InstalledClient> newer = ToolChoice.choose(custom(16, "17.6", CompressionAlgorithm.GZIP), null,
                clients("17.6", "18.1"));
        assertEquals("17.6", chosen(newer));
        assertFalse(newer.filterTransactionTimeout());
        assertTrue(newer.explanation().contains("if it is older than 17, it will reject \"SET transaction_timeout = "
                + "0;\""), newer.explanation());
    }

    @Test
    void preVersion10ServersCompareByTheirTwoPartMajor() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(custom(14, "13.4", CompressionAlgorithm.GZIP), v("9.6.24"),
                clients("15.14", "13.22"));
        assertEquals("13.22", chosen(c));
        assertFalse(c.filterTransactionTimeout());
        assertTrue(c.explanation().contains("the target server's major (9.6)"), c.explanation());
    }

    // --- compression ---

    @Test
    void neverChoosesAClientWithoutTheArchivesCompression() {
        List<InstalledClient> installed = List.of(withoutZstdOrLz4("17.2"), client("18.1"));
        ToolChoice<InstalledClient> zstd = ToolChoice.choose(custom(16, "17.6", CompressionAlgorithm.ZSTD), v("17.2"),
                installed);
        assertEquals("18.1", chosen(zstd));
        assertTrue(zstd.explanation().contains("Not chosen: 17.2 (built without zstd)"), zstd.explanation());
        assertEquals("18.1", chosen(ToolChoice.choose(custom(16, "17.6", CompressionAlgorithm.LZ4), v("17.2"),
                installed)));
        assertEquals("17.2", chosen(ToolChoice.choose(custom(16, "17.6", CompressionAlgorithm.GZIP), v("17.2"),
                installed)));
        assertEquals("17.2", chosen(ToolChoice.choose(custom(16, "17.6", CompressionAlgorithm.NONE), v("17.2"),
                installed)));
    }

    @Test
    void saysWhichCompressionIsMissing() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(Dump.archive(ArchiveFormat.DIRECTORY, 1, 16, v("17.6"),
                CompressionAlgorithm.ZSTD), v("17.6"), List.of(withoutZstdOrLz4("17.6")));
        assertFalse(c.isPossible());
        assertTrue(c.explanation().contains("pg_restore must be at least 17 (pg_restore 16 and older refuse archive "
                + "1.16; the archive was written by pg_dump 17.6) and built with zstd"), c.explanation());
        assertTrue(c.explanation().contains("Installed: 17.6 (built without zstd)."), c.explanation());
        assertEquals("Install postgresql-client-17, built with zstd (the apt.postgresql.org and Debian packages are) "
                + "on the agent.", c.installHint());
        InstalledClient noGzip = new InstalledClient(v("15.4"), false, false, false);
        assertFalse(ToolChoice.choose(custom(14, "15.4", CompressionAlgorithm.GZIP), v("15.4"), List.of(noGzip))
                .isPossible());
    }

    // --- plain scripts ---

    @Test
    void plainScriptsGoToPsqlOfAtLeastTheirPgDumpsMajor() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(plain("15.4", false), v("15.4"),
                clients("13.22", "15.14", "17.6"));
        assertEquals(Tool.PSQL, c.tool());
        assertEquals("psql", c.tool().command());
        assertEquals("15.14", chosen(c));
        assertTrue(c.explanation().startsWith("psql 15.14 restores the plain script written by pg_dump 15.4: psql must "
                + "be at least 15, the major of the pg_dump that wrote it."), c.explanation());
    }

    @Test
    void aScriptWithRestrictNeedsAPsqlThatKnowsIt() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(plain("16.10", true), v("16.10"),
                clients("16.9", "17.6"));
        assertEquals("17.6", chosen(c));
        assertTrue(c.explanation().contains("and know \\restrict (13.22, 14.19, 15.14, 16.10, 17.6, 18 and later)"),
                c.explanation());
        assertTrue(c.explanation().contains("Not chosen: 16.9 (predates \\restrict, added in 16.10)"),
                c.explanation());
        assertFalse(c.filterTransactionTimeout(), "pg_dump 16 writes no transaction_timeout");
    }

    @Test
    void aScriptFromARestrictReleaseNeedsItEvenIfTheLineWasNotSeen() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(plain("17.6", false), v("17.6"), clients("17.5"));
        assertFalse(c.isPossible());
        assertTrue(c.explanation().contains("Installed: 17.5 (predates \\restrict, added in 17.6)."), c.explanation());
        assertEquals("Install postgresql-client-17 (17.6 or later) on the agent.", c.installHint());
    }

    @Test
    void aScriptFromBeforeRestrictRunsOnAnOlderMinor() {
        assertEquals("13.16", chosen(ToolChoice.choose(plain("13.16", false), v("13.4"), clients("13.16"))));
        assertEquals("16.9", chosen(ToolChoice.choose(plain("16.9", false), v("16.9"), clients("16.9"))));
    }

    @Test
    void aRestrictLineOfAnUnknownPgDumpStillRulesOutOldPsqls() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(plain(null, true), v("15.4"), clients("13.16", "15.18"));
        assertEquals("15.18", chosen(c));
        assertEquals(0, c.requiredMajor());
        assertTrue(c.explanation().contains("13.16 (predates \\restrict, added in 13.22)"), c.explanation());
        ToolChoice<InstalledClient> old = ToolChoice.choose(plain(null, true), v("12.4"), clients("12.22"));
        assertTrue(old.explanation().contains("12.22 (psql 12 has no \\restrict)"), old.explanation());
    }

    @Test
    void aScriptFrom17IntoAnOlderServerIsFiltered() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(plain("17.6", true), v("16.4"), clients("16.10", "17.6"));
        assertEquals("17.6", chosen(c));
        assertTrue(c.filterTransactionTimeout());
        assertTrue(c.explanation().contains("rejects the \"SET transaction_timeout = 0;\" that the script holds"),
                c.explanation());
    }

    @Test
    void aScriptFromBefore17NeedsNoFilterWhateverPsqlRunsIt() {
        ToolChoice<InstalledClient> c = ToolChoice.choose(plain("15.14", true), v("16.4"), clients("17.6"));
        assertEquals("17.6", chosen(c));
        assertFalse(c.filterTransactionTimeout(), "the SET is pg_dump's, and pg_dump 15 writes none");
        ToolChoice<InstalledClient> unknown = ToolChoice.choose(plain(null, false), v("16.4"), clients("18.1"));
        assertTrue(unknown.filterTransactionTimeout(), "unknown writer: filter, which costs nothing if absent");
    }

    @Test
    void aZstdScriptNeedsNoZstdInPsqlButSaysItMustBeDecompressed() {
        Dump d = Dump.plain(v("17.6"), true, CompressionAlgorithm.ZSTD);
        ToolChoice<InstalledClient> c = ToolChoice.choose(d, v("17.6"), List.of(withoutZstdOrLz4("17.6")));
        assertEquals("17.6", chosen(c));
        assertTrue(c.explanation().contains("The script is zstd-compressed as a whole: psql reads it only once "
                + "decompressed."), c.explanation());
    }

    // --- inputs ---

    @Test
    void handsBackTheCallersOwnClientObject() {
        final class Tool17 implements ToolChoice.Client {
            @Override
            public PostgresVersion version() {
                return v("17.6");
            }

            @Override
            public boolean supports(CompressionAlgorithm algorithm) {
                return true;
            }
        }
        Tool17 mine = new Tool17();
        ToolChoice<Tool17> c = ToolChoice.choose(custom(16, "17.6", CompressionAlgorithm.ZSTD), v("17.6"),
                List.of(mine));
        assertSame(mine, c.client());
    }

    @Test
    void aDumpIsDescribedFromAParsedHeader() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("PGDMP".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {1, 16, 0, 4, 8, 1, 3});
        for (int value : new int[] {5, 4, 3, 28, 10, 126, 0}) {
            b.writeBytes(new byte[] {0, (byte) value, 0, 0, 0});
        }
        for (String s : new String[] {"app", "17.6", "17.6"}) {
            b.writeBytes(new byte[] {0, (byte) s.length(), 0, 0, 0});
            b.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        }
        Dump d = Dump.of(ArchiveHeaderReader.read(b.toByteArray()));
        assertFalse(d.isPlain());
        ToolChoice<InstalledClient> c = ToolChoice.choose(d, v("17.6"), List.of(withoutZstdOrLz4("17.6"),
                client("18.1")));
        assertEquals("18.1", chosen(c));
        assertTrue(c.explanation().contains("custom archive 1.16 (zstd) written by pg_dump 17.6"), c.explanation());
        Dump p = Dump.of(ArchiveHeaderReader.read(("--\n-- PostgreSQL database dump\n--\n\n\\restrict k\n\n"
                + "-- Dumped from database version 16.10\n-- Dumped by pg_dump version 16.10\n")
                .getBytes(StandardCharsets.UTF_8)));
        assertTrue(p.isPlain());
        assertTrue(p.needsRestrictCommand());
    }

    @Test
    void aPlainScriptIsNotAnArchive() {
        assertThrows(IllegalArgumentException.class,
                () -> Dump.archive(ArchiveFormat.PLAIN, 0, 0, v("17.6"), CompressionAlgorithm.NONE));
        assertThrows(NullPointerException.class, () -> new InstalledClient(null, true, true, true));
    }

    // --- the release tables ---

    @Test
    void restrictArrivedInTheAugust2025MinorsAndIn18() {
        assertEquals(v("13.22"), ToolChoice.restrictCommandSince(13));
        assertEquals(v("14.19"), ToolChoice.restrictCommandSince(14));
        assertEquals(v("15.14"), ToolChoice.restrictCommandSince(15));
        assertEquals(v("16.10"), ToolChoice.restrictCommandSince(16));
        assertEquals(v("17.6"), ToolChoice.restrictCommandSince(17));
        assertEquals(v("18.0"), ToolChoice.restrictCommandSince(18));
        assertEquals(v("19.0"), ToolChoice.restrictCommandSince(19));
        assertNull(ToolChoice.restrictCommandSince(12));
        assertFalse(ToolChoice.knowsRestrictCommand(v("17.5")));
        assertTrue(ToolChoice.knowsRestrictCommand(v("17.6")));
        assertFalse(ToolChoice.knowsRestrictCommand(v("13.21")));
        assertTrue(ToolChoice.knowsRestrictCommand(v("13.22")));
        assertTrue(ToolChoice.knowsRestrictCommand(v("18.0")));
        assertFalse(ToolChoice.knowsRestrictCommand(v("12.22")));
        assertFalse(ToolChoice.knowsRestrictCommand(v("9.6.24")));
    }

    @Test
    void archiveVersionsMapToTheirFirstReader() {
        for (int minor = 0; minor <= 13; minor++) {
            assertEquals(0, ArchiveVersions.firstReaderMajor(1, minor), "1." + minor);
        }
        assertEquals(12, ArchiveVersions.firstReaderMajor(1, 14));
        assertEquals(16, ArchiveVersions.firstReaderMajor(1, 15));
        assertEquals(17, ArchiveVersions.firstReaderMajor(1, 16));
        assertEquals(-1, ArchiveVersions.firstReaderMajor(1, 17));
        assertEquals(-1, ArchiveVersions.firstReaderMajor(2, 0));
        assertEquals("1.14", ArchiveVersions.writtenBy(12));
        assertEquals("1.14", ArchiveVersions.writtenBy(15));
        assertEquals("1.15", ArchiveVersions.writtenBy(16));
        assertEquals("1.16", ArchiveVersions.writtenBy(17));
        assertEquals("1.16", ArchiveVersions.writtenBy(18));
        assertEquals("1.16 or newer", ArchiveVersions.writtenBy(19));
    }
}
