package io.jenkins.plugins.pgbackup.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams in the age format: {@link #encrypt} turns a dump into an age file as it is read (what the uploader reads),
 * {@link #decrypt} turns a stored age file back into the dump as it is read. Both hold one 64 KiB chunk at a time;
 * nothing is written to disk. age authenticates every chunk and the end of the file, so a changed, cut or extended
 * file fails while it is read.
 */
public final class AgeStreams {
    /** age's payload chunk: what one read of the source feeds the encryption. */
    static final int CHUNK = 64 * 1024;

    private AgeStreams() {}

    /**
     * The encrypted form of {@code plain} for the recipients; closing it closes {@code plain}.
     *
     * @param recipients checked recipients ({@link AgeKeys#parseRecipients}), at least one
     */
    public static InputStream encrypt(InputStream plain, List<String> recipients) throws IOException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient is required");
        }
        List<RecipientStanzaWriter> writers = new ArrayList<>();
        try {
            for (String r : recipients) {
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r));
            }
            return new EncryptingInputStream(plain, writers);
        } catch (GeneralSecurityException e) {
            throw new IOException("age encryption could not start: " + e.getMessage(), e);
        }
    }

    /**
     * The plain content of the age file {@code encrypted}; closing it closes {@code encrypted}.
     *
     * @param identities checked identities ({@link AgeKeys#parseIdentities}); never part of a message
     * @throws AgeDecryptionException when no identity opens the file or its header is damaged
     */
    public static InputStream decrypt(InputStream encrypted, List<String> identities) throws IOException {
        List<RecipientStanzaReader> readers = new ArrayList<>();
        try {
            for (String identity : identities) {
                readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity));
            }
        } catch (GeneralSecurityException e) {
            throw new AgeDecryptionException("the identity is not a valid age secret key", null);
        }
        ReadableByteChannel channel;
        try {
            channel = new StandardDecryptingChannelFactory().newDecryptingChannel(Channels.newChannel(encrypted),
                    readers);
        } catch (GeneralSecurityException e) {
            throw new AgeDecryptionException("the identity given cannot decrypt it (none of its recipients matches "
                    + "the identity, or the age header is damaged: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new AgeDecryptionException("it is not a readable age file (" + e.getMessage() + ")", e);
        }
        return new PayloadFailures(Channels.newInputStream(channel));
    }

    /** Says what a failing chunk means: the stored file was changed or cut. */
    private static final class PayloadFailures extends FilterInputStream {
        PayloadFailures(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (com.exceptionfactory.jagged.PayloadException e) {
                throw damaged(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (com.exceptionfactory.jagged.PayloadException e) {
                throw damaged(e);
            }
        }

        private static AgeDecryptionException damaged(IOException e) {
            return new AgeDecryptionException("the encrypted content failed its authentication: the stored object "
                    + "was changed or cut (" + e.getMessage() + ")", e);
        }
    }

    /** Pulls plain bytes, pushes them through jagged's encrypting channel, and hands out what it wrote. */
    private static final class EncryptingInputStream extends InputStream {
        private final InputStream source;
        private final ChunkSink sink = new ChunkSink();
        private final WritableByteChannel encrypting;
        private final byte[] input = new byte[CHUNK];
        private int position;
        private boolean finished;

        EncryptingInputStream(InputStream source, List<RecipientStanzaWriter> writers)
                throws GeneralSecurityException, IOException {
            this.source = source;
            // writes the header into the sink at once: the first read hands it out
            this.encrypting = new StandardEncryptingChannelFactory().newEncryptingChannel(sink, writers);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == sink.size()) {
                if (finished) {
                    return -1;
                }
                fill();
            }
            int n = Math.min(len, sink.size() - position);
            System.arraycopy(sink.bytes(), position, b, off, n);
            position += n;
            return n;
        }

        private void fill() throws IOException {
            sink.reset();
            position = 0;
            int n = source.read(input);
            if (n < 0) {
                encrypting.close(); // writes the last chunk
                finished = true;
            } else if (n > 0) {
                encrypting.write(ByteBuffer.wrap(input, 0, n));
            }
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }

    /** The channel jagged writes the encrypted bytes to: one chunk (plus the header at the start) at a time. */
    private static final class ChunkSink implements WritableByteChannel {
        private byte[] buffer = new byte[CHUNK + 1024];
        private int size;
        private boolean open = true;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            if (size + n > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + n));
            }
            src.get(buffer, size, n);
            size += n;
            return n;
        }

        byte[] bytes() {
            return buffer;
        }

        int size() {
            return size;
        }

        void reset() {
            size = 0;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
