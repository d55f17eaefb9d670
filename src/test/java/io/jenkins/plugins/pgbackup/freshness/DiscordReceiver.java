package io.jenkins.plugins.pgbackup.freshness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.notify.DiscordWebhookNotifier;
import io.jenkins.plugins.pgbackup.notify.Notification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A local HTTP server standing in for a Discord webhook: records each message's JSON, answers 204 or 500. */
final class DiscordReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private volatile int status = 204;

    DiscordReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            if (status == 204) {
                received.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
            }
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/webhooks/1/token";
    }

    /** Delivered messages, in order. */
    List<JsonNode> messages() {
        return received;
    }

    /** Titles of the delivered messages' embeds. */
    List<String> titles() {
        return received.stream().map(m -> m.path("embeds").path(0).path("title").asText()).toList();
    }

    void failWith(int code) {
        status = code;
    }

    /** The sink the Jenkins layer builds too: the plugin's notifier, one attempt, no proxy. */
    FreshnessChecker.AlarmSink sink() {
        DiscordWebhookNotifier notifier = DiscordWebhookNotifier.builder(url())
                .httpClient(HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                        .connectTimeout(Duration.ofSeconds(5)).build())
                .maxAttempts(1).build();
        return (Notification n) -> notifier.send(n, EngineLog.none()).delivered();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
