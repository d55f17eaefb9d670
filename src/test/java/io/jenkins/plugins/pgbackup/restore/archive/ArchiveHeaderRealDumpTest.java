package io.jenkins.plugins.pgbackup.restore.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.pgbackup.restore.ToolChoice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parses archives written by real pg_dump clients against real servers of the same major, and checks every field
 * against what the same client's {@code pg_restore -l} reports about the archive.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchiveHeaderRealDumpTest {
    private static final String DATABASE = "app_\u00fcnic\u00f6de";

    @TempDir
    static Path work;

    private final Map<Integer, ScratchPostgres> servers = new HashMap<>();
    /** Per client label: the variant name to the dump path. */
    private final Map<String, Map<String, Path>> dumps = new LinkedHashMap<>();
    private final Map<String, Path> clientBins = new LinkedHashMap<>();
    private final Map<String, Integer> clientMajors = new HashMap<>();

    @BeforeAll
    void dumpWithEveryClient() throws Exception {
        for (Map.Entry<String, Path> c : ScratchPostgres.clients().entrySet()) {
            int major = ScratchPostgres.clientMajor(c.getValue());
            if (!ScratchPostgres.available(major)) {
                continue;
            }
            clientBins.put(c.getKey(), c.getValue());
            clientMajors.put(c.getKey(), major);
            ScratchPostgres server = servers.get(major);
            if (server == null) {
                server = ScratchPostgres.start(major);
                servers.put(major, server);
                server.psql(c.getValue(), "postgres", "CREATE DATABASE \"" + DATABASE + "\"");
                server.psql(c.getValue(), DATABASE, "CREATE TABLE t(id int PRIMARY KEY, v text); "
                        + "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 2000) g; "
                        + "SELECT lo_from_bytea(0, 'large object');");
            }
            dumps.put(c.getKey(), dumpVariants(c.getKey(), c.getValue(), major, server));
        }
    }

    @AfterAll
    void stopServers() throws Exception {
        for (ScratchPostgres s : servers.values()) {
            s.close();
        }
    }

    private Map<String, Path> dumpVariants(String label, Path bin, int major, ScratchPostgres server)
            throws Exception {
        Map<String, Path> v = new LinkedHashMap<>();
        Path dir = Files.createDirectories(work.resolve(label));
        dump(v, "custom-default", bin, server, dir, List.of("-Fc"));
        dump(v, "custom-uncompressed", bin, server, dir, List.of("-Fc", "-Z", "0"));
        dump(v, "custom-gzip-5", bin, server, dir, List.of("-Fc", "-Z", "5"));
        if (major >= 16) {
            dump(v, "custom-lz4", bin, server, dir, List.of("-Fc", "--compress=lz4"));
            dump(v, "custom-zstd", bin, server, dir, List.of("-Fc", "--compress=zstd"));
            dump(v, "plain-zstd", bin, server, dir, List.of("-Fp", "--compress=zstd"));
            dump(v, "plain-lz4", bin, server, dir, List.of("-Fp", "--compress=lz4"));
        }
        dump(v, "tar", bin, server, dir, List.of("-Ft"));
        dump(v, "plain", bin, server, dir, List.of("-Fp"));
        dump(v, "plain-gzip", bin, server, dir, List.of("-Fp", "-Z", "5"));
        Path directory = dir.resolve("directory");
        List<String> cmd = pgDump(bin, server, List.of("-Fd", "-f", directory.toString()));
        ScratchPostgres.run(cmd, null);
        v.put("directory", directory);
        v.put("directory-toc", directory.resolve("toc.dat"));
        v.put("directory-tarred", tarDirectory(directory, dir.resolve("directory.tar")));
        return v;
    }

    /** Dumps one variant; a client built without the asked compression is skipped, not failed. */
    private static void dump(Map<String, Path> v, String name, Path bin, ScratchPostgres server, Path dir,
            List<String> args) throws Exception {
        Path out = dir.resolve(name);
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of("-f", out.toString()));
        try {
            ScratchPostgres.run(pgDump(bin, server, a), null);
            v.put(name, out);
        } catch (IOException e) {
            if (!e.getMessage().contains("not support compression") && !e.getMessage().contains("not built with")) {
                throw e;
            }
        }
    }

    private static List<String> pgDump(Path bin, ScratchPostgres server, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_dump").toString()));
        cmd.addAll(server.connectionArgs());
        cmd.addAll(args);
        cmd.add(DATABASE);
        return cmd;
    }

    /** A tar of the directory as a directory entry, toc.dat, then the data files: what the plugin uploads. */
    private static Path tarDirectory(Path directory, Path tar) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tar", "--format=ustar", "--no-recursion", "-cf", tar.toString(),
                "-C", directory.getParent().toString(), directory.getFileName() + "/",
                directory.getFileName() + "/toc.dat"));
        try (Stream<Path> s = Files.list(directory)) {
            s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("toc.dat")).sorted()
                    .forEach(n -> cmd.add(directory.getFileName() + "/" + n));
        }
        ScratchPostgres.run(cmd, null);
        return tar;
    }

    Stream<Arguments> archives() {
        List<Arguments> a = new ArrayList<>();
        dumps.forEach((label, variants) -> variants.forEach((name, path) -> {
            if (!name.startsWith("plain") && !name.equals("directory")) {
                a.add(Arguments.of(label, name, path));
            }
        }));
        assumeTrue(!a.isEmpty(), "no PostgreSQL client with a matching server here");
        return a.stream();
    }

    Stream<Arguments> plainDumps() {
        List<Arguments> a = new ArrayList<>();
        dumps.forEach((label, variants) -> variants.forEach((name, path) -> {
            if (name.startsWith("plain")) {
                a.add(Arguments.of(label, name, path));
            }
        }));
        assumeTrue(!a.isEmpty(), "no PostgreSQL client with a matching server here");
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("archives")
    void everyFieldMatchesWhatPgRestoreReports(String label, String variant, Path file) throws Exception {
        ArchiveHeader h = headerOf(file);
        // pg_restore reads a directory, not the tar the plugin packs it in
        Path listed = variant.startsWith("directory") ? dumps.get(label).get("directory") : file;
        Map<String, String> oracle = pgRestoreHeader(clientBins.get(label), listed);

        assertEquals(oracle.get("Format"), h.format().name(), "format");
        assertEquals(oracle.get("Dump Version"), h.versionMajor() + "." + h.versionMinor() + "-" + h.versionRevision());
        assertEquals(oracle.get("Integer"), h.intSize() + " bytes");
        assertEquals(oracle.get("Offset"), h.offSize() + " bytes");
        assertEquals(oracle.get("dbname"), h.databaseName());
        assertEquals(DATABASE, h.databaseName(), "non-ASCII names survive");
        assertEquals(oracle.get("Dumped from database version"), h.serverVersionText());
        assertEquals(oracle.get("Dumped by pg_dump version"), h.pgDumpVersionText());
        String compression = oracle.get("Compression");
        if (h.compressionLevel() != null) {
            assertEquals(compression, h.compressionLevel().toString(), "pg_restore before 16 prints the level");
        } else {
            assertEquals(compression, h.compression().id(), "pg_restore 16+ prints the algorithm");
        }
        assertEquals(oracle.get("Archive created at"), h.dumpDate().format(DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm:ss", Locale.ROOT)) + oracle.get("Archive created at").substring(19));
        int major = clientMajors.get(label);
        assertEquals(major, h.pgDumpVersion().major());
        assertEquals(major, h.serverVersion().major());
        assertEquals(ArchiveVersions.writtenBy(major), h.archiveVersion(), "the version table matches reality");
        assertEquals(expectedCompression(variant), h.compression());
        assertTrue(h.headerLength() > 0 && h.headerLength() <= ArchiveHeaderReader.MAX_HEADER_BYTES);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("archives")
    void theReplayedStreamIsTheWholeFileByteForByte(String label, String variant, Path file) throws Exception {
        ArchiveProbe probe = ArchiveHeaderReader.probe(Files.newInputStream(file));
        byte[] replayed;
        try (InputStream in = probe.stream()) {
            replayed = in.readAllBytes();
        }
        assertArrayEquals(sha256(Files.readAllBytes(file)), sha256(replayed));
        byte[] prefix = probe.consumedPrefix();
        assertEquals(probe.header().headerLength(), prefix.length);
        if (variant.startsWith("custom")) {
            // pg_restore reads it from the replayed stream exactly as from the file
            Path copy = work.resolve(label + "-" + variant + ".replayed");
            Files.write(copy, replayed);
            Path bin = clientBins.get(label);
            assertEquals(ScratchPostgres.run(List.of(bin.resolve("pg_restore").toString(), "-l", file.toString()), null),
                    ScratchPostgres.run(List.of(bin.resolve("pg_restore").toString(), "-l"), copy));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("plainDumps")
    void plainScriptsGiveTheirVersionsAndRestrictLine(String label, String variant, Path file) throws Exception {
        ArchiveHeader h = headerOf(file);
        int major = clientMajors.get(label);
        assertEquals(ArchiveFormat.PLAIN, h.format());
        assertFalse(h.isArchive());
        assertNull(h.archiveVersion());
        assertEquals(expectedCompression(variant), h.compression());
        if (variant.equals("plain-zstd") || variant.equals("plain-lz4")) {
            assertFalse(h.contentInspected(), "the JDK cannot look inside");
            assertNull(h.pgDumpVersion());
            return;
        }
        String text = variant.equals("plain") ? Files.readString(file)
                : new String(new java.util.zip.GZIPInputStream(Files.newInputStream(file)).readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(h.contentInspected());
        assertEquals(line(text, "-- Dumped from database version "), h.serverVersionText());
        assertEquals(line(text, "-- Dumped by pg_dump version "), h.pgDumpVersionText());
        assertEquals(major, h.pgDumpVersion().major());
        boolean restrictInText = text.lines().anyMatch(l -> l.startsWith("\\restrict "));
        assertEquals(restrictInText, h.usesRestrictCommand());
        assertEquals(ToolChoice.knowsRestrictCommand(h.pgDumpVersion()), restrictInText,
                "the \\restrict release table matches pg_dump " + h.pgDumpVersion());
        assertTrue(h.headerLength() < 2048, "reads only the top: " + h.headerLength());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("archives")
    void everyCutInsideTheHeaderIsRefusedAsTruncated(String label, String variant, Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        ArchiveHeader full = headerOf(file);
        int end = shortestReadablePrefix(bytes);
        assertEquals(full.describe(), ArchiveHeaderReader.read(Arrays.copyOf(bytes, end)).describe());
        assertEquals("The stream is empty: there is no dump to restore", refusal(new byte[0]));
        for (int len = 1; len < end; len++) {
            String message = refusal(Arrays.copyOf(bytes, len));
            assertTrue(message.contains("truncated"), len + " of " + end + " bytes: " + message);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("archives")
    void flippedHeaderBytesAreRefusedOrParsedButNeverEscape(String label, String variant, Path file)
            throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int end = shortestReadablePrefix(bytes);
        boolean tar = bytes.length >= 512 && TarEntryHeader.looksLikeHeader(bytes);
        int headerStart = tar ? indexOf(bytes, "PGDMP".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) : 0;
        for (int i = 0; i < end; i++) {
            byte[] flipped = bytes.clone();
            flipped[i] ^= (byte) 0xff;
            boolean refused;
            try {
                ArchiveHeaderReader.read(flipped);
                refused = false;
            } catch (ArchiveHeaderException e) {
                refused = true;
            }
            int offset = i - headerStart;
            // in a tar header every byte counts in the checksum but the one after the checksum's terminator
            boolean structural = (tar && i < 512 && i != 155)
                    || (offset >= 0 && (offset < 6 || offset == 8 || offset == 10));
            if (structural) {
                assertTrue(refused, "byte " + i + " (magic, archive major, integer size, format or tar header)");
            }
        }
    }

    private static int shortestReadablePrefix(byte[] bytes) {
        for (int len = 1; len <= bytes.length; len++) {
            try {
                ArchiveHeaderReader.read(Arrays.copyOf(bytes, len));
                return len;
            } catch (IOException e) {
                // keep growing
            }
        }
        throw new AssertionError("never readable");
    }

    private static String refusal(byte[] b) {
        try {
            ArchiveHeaderReader.read(b);
        } catch (ArchiveHeaderException e) {
            return e.getMessage();
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("escaped as " + e, e);
        }
        throw new AssertionError("accepted " + b.length + " bytes");
    }

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (data[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The heart of tool choice, with the real tools: pg_restore N reads an archive exactly when N is at least the
     * first reader major of its archive version.
     */
    @ParameterizedTest(name = "archive from {0}")
    @MethodSource("clientLabels")
    void pgRestoreReadsAnArchiveExactlyFromItsFirstReaderMajor(String writer) throws Exception {
        Path archive = dumps.get(writer).get("custom-uncompressed");
        ArchiveHeader h = headerOf(archive);
        int first = ArchiveVersions.firstReaderMajor(h.versionMajor(), h.versionMinor());
        for (Map.Entry<String, Path> reader : clientBins.entrySet()) {
            int major = clientMajors.get(reader.getKey());
            boolean reads;
            String error = "";
            try {
                ScratchPostgres.run(List.of(reader.getValue().resolve("pg_restore").toString(), "-l",
                        archive.toString()), null);
                reads = true;
            } catch (IOException e) {
                reads = false;
                error = e.getMessage();
            }
            assertEquals(major >= first, reads, "pg_restore " + major + " on archive " + h.archiveVersion() + ": "
                    + error);
            if (!reads) {
                assertTrue(error.contains("unsupported version (" + h.archiveVersion() + ") in file header"), error);
            }
        }
    }

    Stream<String> clientLabels() {
        assumeTrue(!dumps.isEmpty(), "no PostgreSQL client with a matching server here");
        return dumps.keySet().stream();
    }

    private static CompressionAlgorithm expectedCompression(String variant) {
        if (variant.contains("uncompressed") || variant.equals("tar") || variant.equals("plain")) {
            return CompressionAlgorithm.NONE;
        }
        if (variant.contains("lz4")) {
            return CompressionAlgorithm.LZ4;
        }
        if (variant.contains("zstd")) {
            return CompressionAlgorithm.ZSTD;
        }
        return CompressionAlgorithm.GZIP;
    }

    private static ArchiveHeader headerOf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ArchiveHeaderReader.probe(in).header();
        }
    }

    /** The header lines of {@code pg_restore -l}: "; Key: value" and ";     Key: value". */
    private static Map<String, String> pgRestoreHeader(Path bin, Path archive) throws Exception {
        String out = ScratchPostgres.run(List.of(bin.resolve("pg_restore").toString(), "-l", archive.toString()),
                null);
        Map<String, String> m = new HashMap<>();
        for (String l : out.lines().toList()) {
            if (l.startsWith("; Archive created at ")) {
                m.put("Archive created at", l.substring("; Archive created at ".length()));
            } else if (l.matches(";\\s+[A-Za-z_ ]+: .*")) {
                String kv = l.substring(1).trim();
                int colon = kv.indexOf(": ");
                m.put(kv.substring(0, colon), kv.substring(colon + 2));
            }
        }
        return m;
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElse(null);
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
