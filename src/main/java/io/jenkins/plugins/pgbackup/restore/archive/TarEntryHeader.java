package io.jenkins.plugins.pgbackup.restore.archive;

import java.nio.charset.StandardCharsets;

/** One 512-byte ustar header block, as pg_dump's tar format and the plugin's tar of a directory dump write it. */
final class TarEntryHeader {
    static final int BLOCK = 512;

    private final String name;
    private final long size;
    private final char type;

    private TarEntryHeader(String name, long size, char type) {
        this.name = name;
        this.size = size;
        this.type = type;
    }

    /** Whether the block is a ustar header with a correct checksum. */
    static boolean looksLikeHeader(byte[] block) {
        if (block.length < BLOCK || block[257] != 'u' || block[258] != 's' || block[259] != 't' || block[260] != 'a'
                || block[261] != 'r') {
            return false;
        }
        long stored = octal(block, 148, 8);
        return stored >= 0 && (stored == checksum(block, false) || stored == checksum(block, true));
    }

    /**
     * Whether a block shorter than 512 bytes could be the start of a tar header: a file name of path characters, NUL
     * padding, then octal fields as far as they go.
     */
    static boolean couldBeCutHeader(byte[] lead) {
        int nameEnd = 0;
        while (nameEnd < Math.min(lead.length, 100) && isPathChar(lead[nameEnd])) {
            nameEnd++;
        }
        if (nameEnd == 0) {
            return false;
        }
        for (int i = nameEnd; i < Math.min(lead.length, 100); i++) {
            if (lead[i] != 0) {
                return false;
            }
        }
        for (int i = 100; i < Math.min(lead.length, 148); i++) {
            int c = lead[i];
            if (!(c >= '0' && c <= '7') && c != ' ' && c != 0) {
                return false;
            }
        }
        return lead.length < 262 || (lead[257] == 'u' && lead[258] == 's' && lead[259] == 't' && lead[260] == 'a'
                && lead[261] == 'r');
    }

    private static boolean isPathChar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '.' || b == '_'
                || b == '-' || b == '/';
    }

    static TarEntryHeader parse(byte[] block) throws ArchiveHeaderException {
        long size = octal(block, 124, 12);
        if (size < 0) {
            throw new ArchiveHeaderException("The tar archive has an entry with an unreadable size");
        }
        String name = text(block, 0, 100);
        boolean posix = block[262] == 0 && block[263] == '0' && block[264] == '0';
        String prefix = posix ? text(block, 345, 155) : "";
        char type = (char) (block[156] & 0xff);
        return new TarEntryHeader(prefix.isEmpty() ? name : prefix + "/" + name, size, type);
    }

    static boolean isEndBlock(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    String name() {
        return name;
    }

    long size() {
        return size;
    }

    /** The size rounded up to whole blocks, as stored after the header. */
    long paddedSize() {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    boolean isRegularFile() {
        return type == '0' || type == 0;
    }

    /** Directories, pax and GNU long-name records: entries that may precede toc.dat in a tar of a directory. */
    boolean isSkippable() {
        return type == '5' || type == 'x' || type == 'g' || type == 'L' || type == 'K';
    }

    /** The last path element: "toc.dat" for "backup/toc.dat" or "./toc.dat". */
    String baseName() {
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        int slash = n.lastIndexOf('/');
        return slash < 0 ? n : n.substring(slash + 1);
    }

    private static long checksum(byte[] block, boolean signed) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : (signed ? block[i] : block[i] & 0xff);
            sum += b;
        }
        return sum;
    }

    /** An octal number padded with spaces or NULs; -1 when it holds anything else. */
    private static long octal(byte[] block, int off, int len) {
        long value = 0;
        boolean digits = false;
        for (int i = off; i < off + len; i++) {
            int c = block[i] & 0xff;
            if (c >= '0' && c <= '7') {
                value = value * 8 + (c - '0');
                digits = true;
            } else if (c == ' ' && !digits) {
                continue;
            } else if (c == 0 || c == ' ') {
                break;
            } else {
                return -1;
            }
        }
        return digits ? value : -1;
    }

    private static String text(byte[] block, int off, int len) {
        int end = off;
        while (end < off + len && block[end] != 0) {
            end++;
        }
        return new String(block, off, end - off, StandardCharsets.UTF_8);
    }
}
