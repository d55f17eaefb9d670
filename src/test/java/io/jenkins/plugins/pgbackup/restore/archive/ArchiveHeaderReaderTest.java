package io.jenkins.plugins.pgbackup.restore.archive;

import static io.jenkins.plugins.pgbackup.restore.archive.HeaderBytes.archive;
import static io.jenkins.plugins.pgbackup.restore.archive.HeaderBytes.concat;
import static io.jenkins.plugins.pgbackup.restore.archive.HeaderBytes.gzip;
import static io.jenkins.plugins.pgbackup.restore.archive.HeaderBytes.modern;
import static io.jenkins.plugins.pgbackup.restore.archive.HeaderBytes.tarEntry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Layouts no installed client writes, and inputs that are not archives. */
class ArchiveHeaderReaderTest {

    private static ArchiveHeader read(byte[] b) throws IOException {
        return ArchiveHeaderReader.read(b);
    }

    private static String refusal(byte[] b) {
        return assertThrows(ArchiveHeaderException.class, () -> read(b)).getMessage();
    }

    @Test
    void readsTheCurrentLayoutWithItsAlgorithmByte() throws Exception {
        ArchiveHeader h = read(modern(16, 1, 3));
        assertEquals(ArchiveFormat.CUSTOM, h.format());
        assertEquals("1.16", h.archiveVersion());
        assertEquals(ArchiveVersions.number(1, 16, 0), h.archiveVersionNumber());
        assertEquals(CompressionAlgorithm.ZSTD, h.compression());
        assertNull(h.compressionLevel());
        assertEquals(LocalDateTime.of(2026, 11, 28, 3, 4, 5), h.dumpDate());
        assertEquals("app", h.databaseName());
        assertEquals(PostgresVersion.parse("17.6"), h.pgDumpVersion());
        assertEquals("custom archive 1.16 (zstd) of database 'app' from server 17.6, written by pg_dump 17.6",
                h.describe());
    }

    @Test
    void readsEveryCompressionAlgorithmCode() throws Exception {
        CompressionAlgorithm[] expected = CompressionAlgorithm.values();
        for (int code = 0; code < expected.length; code++) {
            assertEquals(expected[code], read(modern(15, 1, code)).compression());
        }
        assertTrue(refusal(modern(15, 1, 4)).contains("compression algorithm code 4"));
    }

    @Test
    void archivesBefore115RecordAGzipLevel() throws Exception {
        for (int level : new int[] {-1, 0, 1, 9}) {
            byte[] b = archive(14, 1).i(level).date(2024, 2, 29, 23, 59, 60).s("db").s("15.4").s("15.4").bytes();
            ArchiveHeader h = read(b);
            assertEquals(level == 0 ? CompressionAlgorithm.NONE : CompressionAlgorithm.GZIP, h.compression());
            assertEquals(level, h.compressionLevel());
            assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 59), h.dumpDate(), "leap second clamped");
        }
        assertTrue(refusal(archive(14, 1).i(42).bytes()).contains("compression level 42"));
    }

    @Test
    void olderArchivesHaveFewerFields() throws Exception {
        ArchiveHeader v19 = read(archive(9, 1).i(5).date(2010, 1, 2, 3, 4, 5).s("old").bytes());
        assertEquals("1.9", v19.archiveVersion());
        assertEquals("old", v19.databaseName());
        assertNull(v19.serverVersionText(), "version strings arrived in 1.10");

        ArchiveHeader v16 = read(archive(6, 1).i(0).date(2005, 1, 2, 3, 4, 5).s("older").bytes());
        assertEquals(4, v16.offSize(), "before 1.7 the offset size is the integer size");

        ArchiveHeader v13 = read(archive(3, 1).b(6).bytes());
        assertEquals(6, v13.compressionLevel(), "1.2 and 1.3 store the level in one byte");
        assertNull(v13.dumpDate(), "dates arrived in 1.4");

        ArchiveHeader v10 = read(archive(0, 1).bytes());
        assertEquals("1.0", v10.archiveVersion());
        assertEquals(CompressionAlgorithm.GZIP, v10.compression());
    }

    @Test
    void eightByteIntegersAndNullStringsAreRead() throws Exception {
        byte[] b = HeaderBytes.archive(14, 1, 8).i(-1).date(2026, 1, 1, 0, 0, 0).s(null).s("16.2").s(null).bytes();
        ArchiveHeader h = read(b);
        assertEquals(8, h.intSize());
        assertNull(h.databaseName());
        assertEquals("16.2", h.serverVersionText());
        assertNull(h.pgDumpVersion());
    }

    @Test
    void anInvalidDumpDateIsNotFatal() throws Exception {
        byte[] b = archive(14, 1).i(0).i(0).i(0).i(0).i(31).i(1).i(126).i(0).s("db").s("15").s("15").bytes();
        assertNull(read(b).dumpDate(), "February 31st");
    }

    @Test
    void aBareTocDatIsADirectoryDump() throws Exception {
        // pg_backup_directory.c writes the tar code into toc.dat
        assertEquals(ArchiveFormat.DIRECTORY, read(modern(16, 3, 1)).format());
        assertTrue(refusal(modern(16, 2, 0)).contains("format code 2"));
    }

    @Test
    void aTarIsReadFromItsFirstMemberTocDat() throws Exception {
        byte[] tar = concat(tarEntry("toc.dat", modern(16, 3, 0), '0'), tarEntry("3001.dat", new byte[10], '0'));
        ArchiveHeader h = read(tar);
        assertEquals(ArchiveFormat.TAR, h.format());
        assertEquals("app", h.databaseName());
    }

    @Test
    void aTarOfACompressedDirectoryDumpIsADirectoryDump() throws Exception {
        byte[] tar = concat(tarEntry("backup/", new byte[0], '5'), tarEntry("backup/toc.dat", modern(16, 3, 3), '0'));
        ArchiveHeader h = read(tar);
        assertEquals(ArchiveFormat.DIRECTORY, h.format());
        assertEquals(CompressionAlgorithm.ZSTD, h.compression());
    }

    @Test
    void paxRecordsBeforeTocDatAreSkipped() throws Exception {
        byte[] pax = "30 mtime=1700000000.123456789\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tar = concat(tarEntry("./PaxHeaders/toc.dat", pax, 'x'), tarEntry("./toc.dat", modern(16, 3, 0), '0'));
        assertEquals(ArchiveFormat.TAR, read(tar).format());
    }

    @Test
    void aTarWhoseFirstFileIsNotTocDatIsRefusedByName() {
        byte[] tar = concat(tarEntry("3001.dat", new byte[10], '0'), tarEntry("toc.dat", modern(16, 3, 0), '0'));
        assertEquals("The tar archive's first file is '3001.dat', not toc.dat: it is not a pg_dump tar or directory "
                + "archive", refusal(tar));
        assertTrue(refusal(new byte[1024]).contains("begins with 00 00"), "end blocks alone are not a tar");
        byte[] symlinkFirst = tarEntry("link", new byte[0], '2');
        assertTrue(refusal(symlinkFirst).contains("its entry 'link' comes first"));
    }

    @Test
    void aTarHeaderWithABadChecksumIsNotATar() {
        byte[] tar = tarEntry("toc.dat", modern(16, 3, 0), '0');
        tar[150] ^= 1;
        assertEquals("The tar archive is corrupt: the header of its first entry, toc.dat, fails its checksum",
                refusal(tar));
    }

    @Test
    void tarsThatEndEarlyAreTruncated() {
        byte[] tar = tarEntry("toc.dat", modern(16, 3, 0), '0');
        for (int len : new int[] {8, 100, 511, 512, 520}) {
            byte[] cut = java.util.Arrays.copyOf(tar, len);
            assertTrue(refusal(cut).contains("truncated"), len + ": " + refusal(cut));
        }
        byte[] dirOnly = tarEntry("backup/", new byte[0], '5');
        assertTrue(refusal(dirOnly).contains("truncated"));
    }

    @Test
    void tocDatShorterThanItsHeaderIsTruncated() {
        byte[] shortToc = java.util.Arrays.copyOf(modern(16, 3, 0), 20);
        byte[] tar = concat(tarEntry("toc.dat", shortToc, '0'), tarEntry("x.dat", new byte[600], '0'));
        assertTrue(refusal(tar).startsWith("Toc.dat in the tar archive is truncated"), refusal(tar));
    }

    @Test
    void aGzippedPlainScriptIsReadInside() throws Exception {
        String script = "--\n-- PostgreSQL database dump\n--\n\n\\restrict abc\n\n"
                + "-- Dumped from database version 16.10\n-- Dumped by pg_dump version 16.10\n\nSET x = 1;\n";
        ArchiveHeader h = read(gzip(script.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ArchiveFormat.PLAIN, h.format());
        assertEquals(CompressionAlgorithm.GZIP, h.compression());
        assertTrue(h.usesRestrictCommand());
        assertEquals("16.10", h.pgDumpVersionText());
        assertTrue(h.contentInspected());
    }

    @Test
    void aClusterDumpIsRecognised() throws Exception {
        ArchiveHeader h = read("--\n-- PostgreSQL database cluster dump\n--\n\nSET x = 1;\n".getBytes(
                StandardCharsets.UTF_8));
        assertTrue(h.isClusterDump());
        assertNull(h.pgDumpVersion());
    }

    @Test
    void windowsLineEndingsDoNotHideTheVersions() throws Exception {
        ArchiveHeader h = read(("--\r\n-- PostgreSQL database dump\r\n--\r\n\r\n-- Dumped from database version 15.4\r\n"
                + "-- Dumped by pg_dump version 15.4\r\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("15.4", h.serverVersionText());
    }

    @Test
    void gzipOfSomethingElseIsRefused() throws Exception {
        assertTrue(refusal(gzip(modern(16, 1, 0))).contains("gzip-compressed pg_dump archive"));
        assertTrue(refusal(gzip("hello world".getBytes(StandardCharsets.UTF_8)))
                .contains("gzip-compressed data that is not a pg_dump script"));
        byte[] corrupt = gzip("--\n-- PostgreSQL database dump\n".repeat(50).getBytes(StandardCharsets.UTF_8));
        for (int i = 10; i < corrupt.length; i++) {
            corrupt[i] ^= 0x5a;
        }
        assertTrue(refusal(corrupt).contains("corrupt or truncated"), refusal(corrupt));
        assertTrue(refusal(java.util.Arrays.copyOf(gzip(new byte[100]), 12)).contains("corrupt or truncated"));
    }

    @Test
    void zstdAndLz4ScriptsAreRecognisedButNotInspected() throws Exception {
        ArchiveHeader zstd = read(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0});
        assertEquals(ArchiveFormat.PLAIN, zstd.format());
        assertEquals(CompressionAlgorithm.ZSTD, zstd.compression());
        assertFalse(zstd.contentInspected());
        assertEquals(CompressionAlgorithm.LZ4, read(new byte[] {0x04, 0x22, 0x4d, 0x18, 0x64}).compression());
    }

    @Test
    void thingsThatAreNotDumpsAreRefusedWithWhatTheyBeginWith() {
        assertEquals("The stream is empty: there is no dump to restore", refusal(new byte[0]));
        String xml = refusal("<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code></Error>".getBytes(
                StandardCharsets.UTF_8));
        assertTrue(xml.contains("3c 3f 78 6d 6c 20 76 65 ('<?xml ve')"), xml);
        assertTrue(refusal(new byte[] {'P', 'K', 3, 4, 20, 0}).contains("('PK....')"));
        assertTrue(refusal("--\nSELECT 1;\n".getBytes(StandardCharsets.UTF_8))
                .contains("does not begin with pg_dump's header"));
        assertTrue(refusal(("--" + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8)).contains("not begin")
                || refusal(("--" + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8)).contains("longer than"));
    }

    @Test
    void truncatedAtTheMagicStringIsTruncated() {
        assertTrue(refusal("PGD".getBytes(StandardCharsets.US_ASCII)).contains("truncated"));
        assertTrue(refusal("PGDMX\u0001\u000e\u0000".getBytes(StandardCharsets.US_ASCII))
                .contains("not a pg_dump archive"));
        assertTrue(refusal("backup/toc".getBytes(StandardCharsets.US_ASCII))
                .contains("inside what begins like a tar header"));
    }

    @Test
    void corruptValuesAreRefusedWithoutHugeAllocations() {
        assertTrue(refusal(archive(14, 1).i(0).date(2026, 1, 1, 0, 0, 0).i(Integer.MAX_VALUE).bytes())
                .contains("a database name of 2147483647 bytes"));
        byte[] bigInt = archive(16, 1).bytes();
        bigInt[8] = 33;
        assertTrue(refusal(bigInt).contains("an integer size of 33 bytes"));
        byte[] bigOffset = archive(16, 1).bytes();
        bigOffset[9] = 0;
        assertTrue(refusal(bigOffset).contains("an offset size of 0 bytes"));
        byte[] v2 = modern(16, 1, 0);
        v2[5] = 2;
        assertTrue(refusal(v2).contains("archive version 2.16"));
    }

    @Test
    void randomBytesAreAlwaysRefusedCleanly() {
        Random r = new Random(20261128);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(2048)];
            r.nextBytes(b);
            if (i % 4 == 0 && b.length > 5) {
                System.arraycopy("PGDMP".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 5);
            }
            try {
                read(b);
            } catch (ArchiveHeaderException expected) {
                assertFalse(expected.getMessage().isBlank());
            } catch (IOException | RuntimeException e) {
                throw new AssertionError("input " + i + " escaped as " + e, e);
            }
        }
    }

    @Test
    void shortReadsGiveTheSameHeader() throws Exception {
        byte[] tar = concat(tarEntry("toc.dat", modern(16, 3, 0), '0'), new byte[1024]);
        ArchiveHeader whole = read(tar);
        ArchiveProbe trickle = ArchiveHeaderReader.probe(new OneByteAtATime(new ByteArrayInputStream(tar)));
        assertEquals(whole.describe(), trickle.header().describe());
        assertEquals(whole.headerLength(), trickle.header().headerLength());
    }

    @Test
    void theProbeNeitherClosesNorLosesTheSource() throws Exception {
        byte[] data = concat(modern(16, 1, 1), "rest of the archive".getBytes(StandardCharsets.US_ASCII));
        boolean[] closed = {false};
        InputStream source = new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        ArchiveProbe p = ArchiveHeaderReader.probe(source);
        assertFalse(closed[0]);
        try (InputStream all = p.stream()) {
            assertArrayEquals(data, all.readAllBytes());
        }
        assertTrue(closed[0], "closing the replayed stream closes the source");
        assertEquals(data.length, p.consumedPrefix().length, "a short stream is read whole by the first block");
    }

    @Test
    void headersThatNeverEndAreCutOffAtTheLimit() {
        byte[] hugePax = new byte[ArchiveHeaderReader.MAX_HEADER_BYTES + 10];
        byte[] tar = concat(tarEntry("PaxHeaders/x", hugePax, 'x'), tarEntry("toc.dat", modern(16, 3, 0), '0'));
        assertTrue(refusal(tar).contains("No pg_dump header within the first 65536 bytes"), refusal(tar));
    }

    @Test
    void versionTextsWithVendorSuffixesParse() {
        assertEquals(PostgresVersion.parse("17.6"), ArchiveHeader.leadingVersion("17.6 (Debian 17.6-1.pgdg12+1)"));
        assertEquals(PostgresVersion.parse("18"), ArchiveHeader.leadingVersion("18beta1"));
        assertEquals(PostgresVersion.parse("9.6.24"), ArchiveHeader.leadingVersion("9.6.24"));
        assertNull(ArchiveHeader.leadingVersion("devel"));
        assertNull(ArchiveHeader.leadingVersion(null));
    }

    /** Returns at most one byte per read, as a slow network stream may. */
    private static final class OneByteAtATime extends FilterInputStream {
        OneByteAtATime(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
        }
    }
}
