package io.jenkins.plugins.pgbackup.testing;

import java.nio.file.Path;

/**
 * S3Proxy on disk in a JVM of its own, for benchmarks that must tell the plugin's CPU from the S3 server's: prints
 * {@code ENDPOINT <uri>} once it listens and stops when its standard input closes.
 */
public final class S3ProxyMain {
    private S3ProxyMain() {}

    public static void main(String[] args) throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.onDisk(Path.of(args[0]))) {
            System.out.println("ENDPOINT " + s3.endpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // the parent holds the pipe open while it needs the server
            }
        }
        System.exit(0);
    }
}
