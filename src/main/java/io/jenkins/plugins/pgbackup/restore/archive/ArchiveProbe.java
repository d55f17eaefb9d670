package io.jenkins.plugins.pgbackup.restore.archive;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * A parsed header together with the stream it came from: {@link #stream()} replays the bytes the parser consumed in
 * front of the unread rest, so the whole dump can still go to pg_restore or psql.
 */
public final class ArchiveProbe {
    private final ArchiveHeader header;
    private final byte[] prefix;
    private final InputStream rest;

    ArchiveProbe(ArchiveHeader header, byte[] prefix, InputStream rest) {
        this.header = header;
        this.prefix = prefix;
        this.rest = rest;
    }

    public ArchiveHeader header() {
        return header;
    }

    /** A copy of the bytes read from the source to parse the header. */
    public byte[] consumedPrefix() {
        return prefix.clone();
    }

    /**
     * The whole original stream, from its first byte: the consumed prefix, then the unread rest. Call it once; closing
     * it closes the source.
     */
    public InputStream stream() {
        return new SequenceInputStream(new ByteArrayInputStream(prefix), rest);
    }
}
