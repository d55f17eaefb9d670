package io.jenkins.plugins.pgbackup.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTarTest {

    @Test
    void roundTripsAFlatDumpDirectoryWithTocFirst(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("dump"));
        byte[] big = new byte[1_000_003];
        new Random(7).nextBytes(big);
        Files.write(dir.resolve("3456.dat.gz"), big);
        Files.write(dir.resolve("toc.dat"), "PGDMP-toc".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("empty.dat"), new byte[0]);

        byte[] tar;
        try (InputStream in = DirectoryTar.stream(dir)) {
            tar = in.readAllBytes();
        }
        assertEquals("toc.dat", new String(tar, 0, 7, StandardCharsets.US_ASCII), "toc.dat leads the stream");
        assertEquals(0, tar.length % 512);

        Path out = tmp.resolve("restored");
        DirectoryTar.extract(new ByteArrayInputStream(tar), out);
        assertArrayEquals(big, Files.readAllBytes(out.resolve("3456.dat.gz")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("toc.dat")), Files.readAllBytes(out.resolve("toc.dat")));
        assertEquals(0, Files.size(out.resolve("empty.dat")));
    }

    @Test
    void writesATarThatGnuTarReads(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("dump"));
        Files.write(dir.resolve("toc.dat"), new byte[700]);
        Files.write(dir.resolve("1.dat"), new byte[5]);
        Path tarFile = tmp.resolve("d.tar");
        try (InputStream in = DirectoryTar.stream(dir)) {
            Files.copy(in, tarFile);
        }
        Process p = new ProcessBuilder("tar", "-tf", tarFile.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), listing);
        assertEquals(List.of("toc.dat", "1.dat"), Arrays.asList(listing.trim().split("\n")));
    }

    @Test
    void refusesATruncatedStream(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("dump"));
        Files.write(dir.resolve("toc.dat"), new byte[2000]);
        byte[] tar;
        try (InputStream in = DirectoryTar.stream(dir)) {
            tar = in.readAllBytes();
        }
        byte[] cut = Arrays.copyOf(tar, 1500);
        assertThrows(IOException.class, () -> DirectoryTar.extract(new ByteArrayInputStream(cut), tmp.resolve("x")));
    }

    @Test
    void refusesEntriesThatWouldLeaveTheTargetDirectory(@TempDir Path tmp) throws IOException {
        byte[] header = new byte[1024 * 2];
        byte[] name = "../evil".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, header, 0, name.length);
        System.arraycopy("00000000000".getBytes(StandardCharsets.US_ASCII), 0, header, 124, 11);
        IOException e = assertThrows(IOException.class,
                () -> DirectoryTar.extract(new ByteArrayInputStream(header), tmp.resolve("x")));
        assertEquals(false, Files.exists(tmp.resolve("evil")));
        assertEquals(true, e.getMessage().contains("../evil"));
    }
}
