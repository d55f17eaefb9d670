package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class HoldBackInputStreamTest {
    @Test
    void passesEveryByteThroughOnceTheSourceEnds() throws IOException {
        long size = 5 * 1024 * 1024 + 17;
        try (InputStream in = new HoldBackInputStream(TestStreams.random(size, 42, 1000))) {
            assertEquals(TestStreams.sha256(size, 42), TestStreams.sha256(in));
        }
    }

    @Test
    void neverReleasesTheEndOfASourceWhoseCheckFailsAtItsEnd() {
        int size = 1024 * 1024;
        int hold = 64 * 1024;
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream failingAtEnd = new InputStream() {
            private final InputStream data = TestStreams.random(size, 3, 8192);

            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = data.read(b, off, len);
                if (n < 0) {
                    throw new IOException("corrupt: SHA-256 differs");
                }
                return n;
            }
        };
        HoldBackInputStream in = new HoldBackInputStream(failingAtEnd, hold);

        IOException e = assertThrows(IOException.class, () -> in.transferTo(received));

        assertEquals("corrupt: SHA-256 differs", e.getMessage());
        assertTrue(received.size() <= size - hold, "the last " + hold + " bytes were held back: " + received.size());
        assertTrue(received.size() > 0, "the rest flowed");
    }

    @Test
    void aSourceShorterThanTheHoldComesOutOnlyAtItsEnd() throws IOException {
        HoldBackInputStream in = new HoldBackInputStream(TestStreams.random(100, 1, 10), 1000);
        byte[] b = new byte[1000];

        assertEquals(100, in.readNBytes(b, 0, 1000));
        assertEquals(-1, in.read());
    }
}
