package io.jenkins.plugins.pgbackup.process;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * This JVM's end of a named pipe (FIFO) that a program elsewhere opens by path. Java cannot make one ({@code mkfifo}
 * does) nor open one without blocking until the other side opens it too, so the end opens lazily, on the first read
 * or write of the thread that serves it, and {@link #release()} unblocks that open when the other side will never
 * come (the program failed before, or was stopped): it briefly holds the pipe open for both reading and writing,
 * which never blocks on Linux and lets the waiting open complete, then closes it, which reads as the end.
 */
final class NamedPipe {
    private static final Logger LOGGER = Logger.getLogger(NamedPipe.class.getName());
    /** How long {@link #release()} waits for a thread that is about to open the pipe. */
    private static final long RELEASE_WAIT_MILLIS = 2000;

    private enum State { NEW, OPENING, OPEN, RELEASED }

    private final Path path;
    private State state = State.NEW;
    private boolean everOpened;

    NamedPipe(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * Makes FIFOs with {@code mkfifo}, then gives each its permissions: the program at the other end may run as
     * another user (a container's), so it needs them for "others".
     */
    static void make(List<Path> paths, String permissions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "600"));
        paths.forEach(p -> command.add(p.toString()));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot make named pipes: there is no mkfifo on this machine (" + e.getMessage()
                    + ")", e);
        }
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("mkfifo failed: " + output);
        }
        for (Path path : paths) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    /** A stream that opens the pipe for reading on first use; empty once released before it opened. */
    InputStream input() {
        return new FilterInputStream(null) {
            private boolean closed;

            private InputStream in() throws IOException {
                if (in == null) {
                    in = closed ? InputStream.nullInputStream() : open(() -> new FileInputStream(path.toFile()),
                            InputStream.nullInputStream());
                }
                return in;
            }

            @Override
            public int read() throws IOException {
                return in().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in().read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                return in == null ? 0 : in.available();
            }

            @Override
            public void close() throws IOException {
                closed = true;
                if (in != null) {
                    in.close();
                }
            }
        };
    }

    /** A stream that opens the pipe for writing on first use; closing one never opened does not open it. */
    OutputStream output() {
        return new FilterOutputStream(null) {
            private boolean closed;

            private OutputStream out() throws IOException {
                if (closed) {
                    throw new IOException("closed");
                }
                if (out == null) {
                    out = open(() -> new FileOutputStream(path.toFile()), null);
                    if (out == null) {
                        throw new IOException("the program at the other end of " + path.getFileName() + " ended");
                    }
                }
                return out;
            }

            @Override
            public void write(int b) throws IOException {
                out().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (out != null) {
                    out.flush();
                }
            }

            @Override
            public void close() throws IOException {
                closed = true;
                if (out != null) {
                    out.close();
                }
            }
        };
    }

    private interface Opener<T> {
        T open() throws IOException;
    }

    private <T> T open(Opener<T> opener, T whenReleased) throws IOException {
        synchronized (this) {
            if (state == State.RELEASED) {
                return whenReleased;
            }
            state = State.OPENING;
        }
        try {
            T opened = opener.open();
            synchronized (this) {
                everOpened = true;
            }
            return opened;
        } finally {
            synchronized (this) {
                if (state == State.OPENING) {
                    state = State.OPEN;
                }
                notifyAll();
            }
        }
    }

    /** Whether this side opened it (so the other side did too). */
    synchronized boolean everOpened() {
        return everOpened;
    }

    /**
     * The other side will not open the pipe (any more): a thread blocked in opening it gets through and reads the
     * end (or fails to write); later opens do not wait. Never throws.
     */
    void release() {
        boolean opening;
        synchronized (this) {
            opening = state == State.OPENING;
            state = opening ? State.OPENING : State.RELEASED;
        }
        if (!opening) {
            return;
        }
        try (RandomAccessFile both = new RandomAccessFile(path.toFile(), "rw")) {
            synchronized (this) {
                long deadline = System.currentTimeMillis() + RELEASE_WAIT_MILLIS;
                while (state == State.OPENING && System.currentTimeMillis() < deadline) {
                    wait(Math.max(1, deadline - System.currentTimeMillis()));
                }
                state = State.RELEASED;
                // The open got through thanks to this end, not to the program.
                everOpened = false;
            }
        } catch (IOException e) {
            LOGGER.fine(() -> "cannot release " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
