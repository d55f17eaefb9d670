package io.jenkins.plugins.pgbackup.restore.archive;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Recognises a dump from its first bytes, without seeking: a custom archive or a bare {@code toc.dat} ({@code PGDMP}),
 * a tar archive whose first file is {@code toc.dat} (pg_dump's tar format, or the plugin's tar of a directory dump), a
 * plain script (pg_dump's comment header, gzip-compressed or not), or an lz4/zstd-compressed script (recognised, not
 * inspected). Anything else is refused with an {@link ArchiveHeaderException} that says what the stream is instead.
 */
public final class ArchiveHeaderReader {
    /** The most bytes of the source read to find a header; pg_dump's is well under 1 KiB. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] LZ4 = {0x04, 0x22, 0x4d, 0x18};
    private static final byte[] TOC_DAT = "toc.dat\0".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_SKIPPED_TAR_ENTRIES = 8;
    private static final int LEAD = TarEntryHeader.BLOCK;

    private ArchiveHeaderReader() {}

    /**
     * Parses the header at the start of {@code source} and keeps what it read for {@link ArchiveProbe#stream()}.
     *
     * @throws ArchiveHeaderException if the stream is not a dump this plugin restores, or ends inside its header
     * @throws IOException if reading the source fails
     */
    public static ArchiveProbe probe(InputStream source) throws IOException {
        RecordingInputStream recorder = new RecordingInputStream(source, MAX_HEADER_BYTES);
        ArchiveHeader.Builder b = parse(recorder);
        ArchiveHeader header = b.headerLength(recorder.count()).build();
        return new ArchiveProbe(header, recorder.recorded(), source);
    }

    /** Parses a header from bytes already in memory, such as the first 64 KiB fetched with a ranged read. */
    public static ArchiveHeader read(byte[] firstBytes) throws IOException {
        return probe(new ByteArrayInputStream(firstBytes)).header();
    }

    private static ArchiveHeader.Builder parse(RecordingInputStream recorder) throws IOException {
        byte[] lead = recorder.readNBytes(LEAD);
        InputStream view = new SequenceInputStream(new ByteArrayInputStream(lead), recorder);
        if (lead.length == 0) {
            throw new ArchiveHeaderException("The stream is empty: there is no dump to restore");
        }
        if (lead.length < CustomHeaderParser.MAGIC.length && startsWith(CustomHeaderParser.MAGIC, lead)) {
            throw new ArchiveHeaderException("The archive is truncated: it ends after " + lead.length
                    + " bytes, inside its header (at the magic string)");
        }
        if (startsWith(lead, CustomHeaderParser.MAGIC)) {
            return new CustomHeaderParser(view, "the archive", false).parse();
        }
        if (TarEntryHeader.looksLikeHeader(lead)) {
            return parseTar(lead, recorder);
        }
        if (lead.length < LEAD && TarEntryHeader.couldBeCutHeader(lead)) {
            throw new ArchiveHeaderException("The stream is truncated: it ends after " + lead.length
                    + " bytes, inside what begins like a tar header (" + describeBytes(lead) + ")");
        }
        if (startsWith(lead, TOC_DAT)) {
            throw new ArchiveHeaderException(lead.length < LEAD
                    ? "The tar archive is truncated: it ends after " + lead.length
                            + " bytes, inside the header of its first entry"
                    : "The tar archive is corrupt: the header of its first entry, toc.dat, fails its checksum");
        }
        if (startsWith(lead, GZIP)) {
            return parseGzip(view);
        }
        if (startsWith(lead, ZSTD) || startsWith(lead, LZ4)) {
            CompressionAlgorithm a = startsWith(lead, ZSTD) ? CompressionAlgorithm.ZSTD : CompressionAlgorithm.LZ4;
            return ArchiveHeader.builder(ArchiveFormat.PLAIN).compression(a, null).contentInspected(false);
        }
        if (startsWith(lead, "--".getBytes(StandardCharsets.US_ASCII))) {
            return new PlainHeaderParser(view, "The script").parse();
        }
        throw new ArchiveHeaderException("This is not a pg_dump archive or plain dump: it begins with "
                + describeBytes(lead) + " instead of PGDMP, a tar header, pg_dump's \"--\" comment header or "
                + "gzip/lz4/zstd compression");
    }

    private static ArchiveHeader.Builder parseTar(byte[] first, InputStream recorder) throws IOException {
        byte[] block = first;
        for (int skipped = 0; ; skipped++) {
            if (TarEntryHeader.isEndBlock(block)) {
                throw new ArchiveHeaderException("The tar archive ends before any toc.dat: it holds no pg_dump archive");
            }
            if (!TarEntryHeader.looksLikeHeader(block)) {
                throw new ArchiveHeaderException("The tar archive is corrupt: entry " + (skipped + 1)
                        + " does not have a valid tar header");
            }
            TarEntryHeader entry = TarEntryHeader.parse(block);
            if (entry.isRegularFile()) {
                return parseTocDat(entry, recorder);
            }
            if (!entry.isSkippable() || skipped >= MAX_SKIPPED_TAR_ENTRIES) {
                throw new ArchiveHeaderException("The tar archive does not begin with toc.dat (its entry '"
                        + entry.name() + "' comes first): it is not a pg_dump tar or directory archive");
            }
            skipFully(recorder, entry.paddedSize());
            block = readBlock(recorder);
        }
    }

    private static ArchiveHeader.Builder parseTocDat(TarEntryHeader entry, InputStream recorder) throws IOException {
        if (!entry.baseName().equals("toc.dat")) {
            throw new ArchiveHeaderException("The tar archive's first file is '" + entry.name()
                    + "', not toc.dat: it is not a pg_dump tar or directory archive");
        }
        InputStream member = new BoundedInputStream(recorder, entry.size());
        return new CustomHeaderParser(member, "toc.dat in the tar archive", true).parse();
    }

    private static ArchiveHeader.Builder parseGzip(InputStream view) throws IOException {
        try {
            GZIPInputStream gz = new GZIPInputStream(view, LEAD);
            byte[] lead = gz.readNBytes(LEAD);
            InputStream inner = new SequenceInputStream(new ByteArrayInputStream(lead), gz);
            if (startsWith(lead, CustomHeaderParser.MAGIC) || TarEntryHeader.looksLikeHeader(lead)) {
                throw new ArchiveHeaderException("This is a gzip-compressed pg_dump archive; pg_restore reads archives "
                        + "uncompressed (pg_dump compresses their data inside): decompress it first");
            }
            if (!startsWith(lead, "--".getBytes(StandardCharsets.US_ASCII))) {
                throw new ArchiveHeaderException("This is gzip-compressed data that is not a pg_dump script: it "
                        + "begins with " + describeBytes(lead) + " once decompressed");
            }
            return new PlainHeaderParser(inner, "The gzip-compressed script").parse()
                    .compression(CompressionAlgorithm.GZIP, null);
        } catch (ZipException | EOFException e) {
            throw new ArchiveHeaderException("The gzip-compressed script is corrupt or truncated within its first "
                    + "bytes (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] readBlock(InputStream in) throws IOException {
        byte[] block = in.readNBytes(TarEntryHeader.BLOCK);
        if (block.length < TarEntryHeader.BLOCK) {
            throw new ArchiveHeaderException("The tar archive is truncated: it ends inside an entry header, before "
                    + "toc.dat");
        }
        return block;
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        if (in.skip(n) < n) {
            throw new ArchiveHeaderException("The tar archive is truncated: it ends before toc.dat");
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first few bytes, in hex and as far as printable as ASCII: "3c 3f 78 6d 6c 20 76 65 ('<?xml ve')". */
    static String describeBytes(byte[] data) {
        int n = Math.min(8, data.length);
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = data[i] & 0xff;
            ascii.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        String hex = HexFormat.ofDelimiter(" ").formatHex(data, 0, n).toLowerCase(Locale.ROOT);
        return hex + " ('" + ascii + "')";
    }

    /** Reads at most {@code limit} bytes, so a header never runs past its tar member. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r > 0) {
                left -= r;
            }
            return r;
        }
    }
}
