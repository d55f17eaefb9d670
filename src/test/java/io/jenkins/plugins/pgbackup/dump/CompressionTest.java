package io.jenkins.plugins.pgbackup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.dump.Compression.Algorithm;
import org.junit.jupiter.api.Test;

class CompressionTest {

    @Test
    void parsesWhatUsersWrite() {
        assertEquals(Compression.of(Algorithm.ZSTD, 3), Compression.parse("zstd"));
        assertEquals(Compression.of(Algorithm.ZSTD, 19), Compression.parse(" ZSTD:19 "));
        assertEquals(Compression.of(Algorithm.GZIP, 6), Compression.parse("gzip"));
        assertEquals(Compression.of(Algorithm.GZIP, 9), Compression.parse("9"));
        assertEquals(Compression.of(Algorithm.LZ4, 1), Compression.parse("lz4"));
        assertEquals(Compression.of(Algorithm.GZIP, 4), Compression.parse("gzip:level=4"));
        assertEquals(Compression.NONE, Compression.parse("none"));
        assertEquals(Compression.NONE, Compression.parse("0"));
    }

    @Test
    void leavesTheChoiceToThePolicyWhenBlankOrAuto() {
        assertNull(Compression.parse(null));
        assertNull(Compression.parse(" "));
        assertNull(Compression.parse("Auto"));
    }

    @Test
    void refusesUnknownAlgorithmsAndLevelsOutOfRange() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Compression.parse("brotli"))
                .getMessage().contains("brotli"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("gzip:10"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd:23"));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd:0"));
    }

    @Test
    void writesTheArgumentEachPgDumpUnderstands() {
        assertEquals("--compress=zstd:3", Compression.parse("zstd:3").pgDumpArgument(17));
        assertEquals("--compress=gzip:6", Compression.parse("gzip:6").pgDumpArgument(16));
        assertEquals("--compress=6", Compression.parse("gzip:6").pgDumpArgument(15));
        assertEquals("--compress=0", Compression.NONE.pgDumpArgument(13));
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("zstd").pgDumpArgument(15));
    }

    @Test
    void printsAsRecordedInMetadata() {
        assertEquals("zstd:3", Compression.parse("zstd").toString());
        assertEquals("none", Compression.NONE.toString());
    }
}
