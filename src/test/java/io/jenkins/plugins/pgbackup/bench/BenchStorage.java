package io.jenkins.plugins.pgbackup.bench;

import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.S3ProxyMain;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 API a benchmark writes to: S3Proxy on disk in this JVM ({@code -Dbench.s3=jvm}, the default), or in a JVM of
 * its own ({@code -Dbench.s3=process}) so that its CPU is accounted apart from the plugin's.
 */
final class BenchStorage implements AutoCloseable {
    private final S3ProxyServer inProcess;
    private final Process process;
    private final URI endpoint;
    private final S3Client client;

    private BenchStorage(S3ProxyServer inProcess, Process process, URI endpoint) {
        this.inProcess = inProcess;
        this.process = process;
        this.endpoint = endpoint;
        this.client = inProcess != null ? inProcess.client()
                : S3Clients.create(S3ProxyServer.settings(endpoint, "unused", ""));
    }

    static BenchStorage start(Path dir) throws Exception {
        if (!"process".equals(System.getProperty("bench.s3", "jvm"))) {
            S3ProxyServer s3 = S3ProxyServer.onDisk(dir);
            return new BenchStorage(s3, null, s3.endpoint());
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), S3ProxyMain.class.getName(), dir.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("ENDPOINT ")) {
                return new BenchStorage(null, p, URI.create(line.substring("ENDPOINT ".length())));
            }
        }
        throw new IOException("S3Proxy did not start in its own process (exit " + p.waitFor() + ")");
    }

    /** Where S3Proxy runs: "in this JVM" or "in its own JVM". */
    String where() {
        return process == null ? "in this JVM" : "in its own JVM";
    }

    /** Where S3 clients reach it. */
    URI endpoint() {
        return endpoint;
    }

    /** The pid of S3Proxy's own process, or -1 when it runs in this JVM. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    StorageSettings settings(String bucket, String prefix) {
        return S3ProxyServer.settings(endpoint, bucket, prefix);
    }

    S3Client client() {
        return client;
    }

    String createBucket() {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        client.createBucket(b -> b.bucket(name));
        return name;
    }

    @Override
    public void close() throws Exception {
        if (inProcess != null) {
            inProcess.close();
            return;
        }
        client.close();
        process.getOutputStream().close();
        process.waitFor();
    }
}
