package io.jenkins.plugins.pgbackup.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpStreamGuardTest {

    private static byte[] bytes(String s, int padTo) {
        byte[] b = new byte[Math.max(padTo, s.length())];
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, b, 0, s.length());
        return b;
    }

    @Test
    void passesACustomArchiveThroughAndReportsItsLengthAtTheEnd() throws IOException {
        byte[] dump = bytes("PGDMP\u0001\u000f", 5000);
        AtomicLong seen = new AtomicLong(-1);
        try (InputStream in = new DumpStreamGuard(new ByteArrayInputStream(dump), DumpFormat.CUSTOM,
                Compression.NONE, seen::set)) {
            assertEquals(5000, in.readAllBytes().length);
        }
        assertEquals(5000, seen.get());
    }

    @Test
    void failsTheReadWhenTheOutputIsNotAnArchive() {
        byte[] junk = bytes("pg_dump: error: something", 3000);
        IOException e = assertThrows(IOException.class, () -> new DumpStreamGuard(new ByteArrayInputStream(junk),
                DumpFormat.CUSTOM, Compression.NONE, n -> {}).readAllBytes());
        assertTrue(e.getMessage().contains("PGDMP"), e.getMessage());
    }

    @Test
    void failsTheReadWhenNothingWasWritten() {
        IOException e = assertThrows(IOException.class, () -> new DumpStreamGuard(new ByteArrayInputStream(new byte[0]),
                DumpFormat.CUSTOM, Compression.NONE, n -> {}).readAllBytes());
        assertTrue(e.getMessage().contains("wrote nothing"), e.getMessage());
    }

    @Test
    void failsTheReadAtTheEndWhenTheProducerFailed() {
        byte[] dump = bytes("PGDMP", 100);
        IOException e = assertThrows(IOException.class, () -> new DumpStreamGuard(new ByteArrayInputStream(dump),
                DumpFormat.CUSTOM, Compression.NONE, n -> {
                    throw new IOException("pg_dump exited with code 1");
                }).readAllBytes());
        assertEquals("pg_dump exited with code 1", e.getMessage());
    }

    @Test
    void recognisesCompressedAndUncompressedPlainScripts() {
        assertNull(DumpStreamGuard.problem(DumpFormat.PLAIN, Compression.NONE, bytes("--\n-- PostgreSQL", 10)));
        assertNull(DumpStreamGuard.problem(DumpFormat.PLAIN, Compression.parse("gzip"), new byte[] {0x1f, (byte) 0x8b}));
        assertNull(DumpStreamGuard.problem(DumpFormat.PLAIN, Compression.parse("zstd"),
                new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}));
        assertTrue(DumpStreamGuard.problem(DumpFormat.PLAIN, Compression.parse("zstd"), bytes("--", 4))
                .contains("zstd"));
    }

    @Test
    void acceptsATarWhoseFirstMemberIsTheToc(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Files.write(dir.resolve("toc.dat"), bytes("PGDMP", 600));
        Files.write(dir.resolve("1.dat"), new byte[10]);
        byte[] tar;
        try (InputStream in = DirectoryTar.stream(dir)) {
            tar = in.readAllBytes();
        }
        assertNull(DumpStreamGuard.problem(DumpFormat.DIRECTORY, Compression.NONE, tar));
        assertTrue(DumpStreamGuard.problem(DumpFormat.TAR, Compression.NONE, bytes("PGDMP", 2000))
                .contains("not a tar"));
    }
}
