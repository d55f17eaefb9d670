package io.jenkins.plugins.pgbackup.tools;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listener on the loopback interface that accepts connections and hangs up at once, noting that one came: the
 * compression probe's language-free sign that pg_dump got past its option checks to connecting.
 */
final class ConnectionWitness implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicBoolean connected = new AtomicBoolean();
    private final Thread acceptor;

    private ConnectionWitness(ServerSocket socket) {
        this.socket = socket;
        this.acceptor = new Thread(this::acceptAll, "pg_dump probe listener " + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static ConnectionWitness open() throws IOException {
        return new ConnectionWitness(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
    }

    String host() {
        return socket.getInetAddress().getHostAddress();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Whether anything connected so far. */
    boolean connected() {
        return connected.get();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try (Socket ignored = socket.accept()) {
                // Hanging up makes the client fail at once instead of waiting for an answer.
                connected.set(true);
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
