package io.jenkins.plugins.pgbackup.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP receiver (the JDK's HttpServer) standing in for Discord. */
class DiscordWebhookNotifierTest {
    private static final String TOKEN = "Zx9-sEcReT_t0kEn-Q7vLp2mWn4rTy8uIo0pAsDfGhJkLzXcVbNm1234567890abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private ExecutorService executor;
    private final ConcurrentLinkedQueue<Responder> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final Sleeper recordingSleeper = sleeps::add;
    private final Lines log = new Lines();
    private final List<String> julMessages = new CopyOnWriteArrayList<>();
    private final Handler julHandler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            julMessages.add(new java.util.logging.SimpleFormatter().formatMessage(r)
                    + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final Logger notifierLogger = Logger.getLogger(DiscordWebhookNotifier.class.getName());
    private java.util.logging.Level savedLevel;

    @FunctionalInterface
    interface Responder {
        void respond(HttpExchange x) throws IOException;
    }

    record Received(String method, String path, String contentType, String body) {}

    static final class Lines implements EngineLog {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void info(String line) {
            lines.add("INFO " + line);
        }

        @Override
        public void warn(String line) {
            lines.add("WARN " + line);
        }
    }

    @BeforeEach
    void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            received.add(new Received(x.getRequestMethod(), x.getRequestURI().toString(),
                    x.getRequestHeaders().getFirst("Content-Type"), new String(body, StandardCharsets.UTF_8)));
            Responder r = script.poll();
            if (r == null) {
                r = status(204, null, Map.of());
            }
            r.respond(x);
            x.close();
        });
        server.start();
        notifierLogger.addHandler(julHandler);
        savedLevel = notifierLogger.getLevel();
        notifierLogger.setLevel(java.util.logging.Level.ALL);
    }

    @AfterEach
    void stopReceiver() {
        server.stop(0);
        executor.shutdownNow();
        notifierLogger.removeHandler(julHandler);
        notifierLogger.setLevel(savedLevel);
    }

    private String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/webhooks/1234567890/" + TOKEN;
    }

    private DiscordWebhookNotifier.Builder notifier() {
        return DiscordWebhookNotifier.builder(webhookUrl()).sleeper(recordingSleeper)
                .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(2))
                .clock(Clock.fixed(Instant.parse("2026-11-28T03:00:00Z"), ZoneOffset.UTC));
    }

    static Responder status(int code, String body, Map<String, String> headers) {
        return x -> {
            headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
            if (body == null) {
                x.sendResponseHeaders(code, -1);
                return;
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(code, b.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        };
    }

    private static Notification failedBackup() {
        return DiscordPayloadTest.backup(false).errorMessage("pg_dump exited with code 1")
                .stderrTail("pg_dump: error: query failed").build();
    }

    @Test
    void postsTheEmbedAsJsonOnceWhenDiscordAccepts() throws Exception {
        NotificationResult r = notifier().build().send(DiscordPayloadTest.backup(true).build(), log);
        assertTrue(r.delivered(), r.message());
        assertEquals(1, r.attempts());
        assertEquals(204, r.httpStatus());
        assertEquals(1, received.size());
        Received got = received.get(0);
        assertEquals("POST", got.method());
        assertEquals("/api/webhooks/1234567890/" + TOKEN, got.path());
        assertEquals("application/json", got.contentType());
        JsonNode body = JSON.readTree(got.body());
        assertEquals("Backup succeeded: app", body.path("embeds").get(0).path("title").asText());
        assertEquals(List.of(), DiscordLimits.violations(body));
        assertEquals(List.of("INFO Discord notification sent."), log.lines);
        assertEquals(List.of(), sleeps);
    }

    @Test
    void waitsTheRetryAfterOfA429BodyThenDelivers() {
        script.add(status(429, "{\"message\": \"You are being rate limited.\", \"retry_after\": 1.234, \"global\": false}",
                Map.of("Retry-After", "2", "X-RateLimit-Reset-After", "1.234")));
        NotificationResult r = notifier().build().send(failedBackup(), log);
        assertTrue(r.delivered(), r.message());
        assertEquals(2, r.attempts());
        assertEquals(2, received.size());
        assertEquals(received.get(0).body(), received.get(1).body(), "the same message is sent again");
        assertEquals(List.of(Duration.ofMillis(1234)), sleeps, "body's retry_after wins, rounded up to ms");
        assertEquals(Duration.ofMillis(1234), r.waited());
        assertEquals("sent after 2 attempts", r.message());
    }

    @Test
    void fallsBackToTheRetryAfterHeaderThenTheResetAfterHeader() {
        script.add(status(429, null, Map.of("Retry-After", "3")));
        script.add(status(429, "not json", Map.of("X-RateLimit-Reset-After", "0.25")));
        script.add(status(429, null, Map.of()));
        NotificationResult r = notifier().maxAttempts(5).build().send(failedBackup(), log);
        assertTrue(r.delivered(), r.message());
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofMillis(250), Duration.ofSeconds(1)), sleeps);
    }

    @Test
    void doesNotWaitOutARateLimitLongerThanAllowed() {
        script.add(status(429, "{\"retry_after\": 3600.5, \"global\": true}", Map.of()));
        NotificationResult r = notifier().maxWait(Duration.ofSeconds(30)).build().send(failedBackup(), log);
        assertFalse(r.delivered());
        assertEquals(1, r.attempts());
        assertEquals(429, r.httpStatus());
        assertTrue(r.message().contains("asked to wait 3600.5 s, longer than the 30.0 s allowed"), r.message());
        assertEquals(List.of(), sleeps);
    }

    @Test
    void persistent5xxIsRetriedWithDoublingBackoffThenGivenUp() {
        for (int i = 0; i < 10; i++) {
            script.add(status(502, "<html>Bad Gateway</html>", Map.of()));
        }
        NotificationResult r = notifier().maxAttempts(4).initialBackoff(Duration.ofMillis(500)).build()
                .send(failedBackup(), log);
        assertFalse(r.delivered());
        assertEquals(4, r.attempts());
        assertEquals(4, received.size());
        assertEquals(502, r.httpStatus());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(2000)), sleeps);
        assertTrue(r.message().startsWith("Discord answered HTTP 502; gave up after 4 attempts"), r.message());
        assertTrue(log.lines.get(0).startsWith("WARN Discord notification not sent: Discord answered HTTP 502"),
                log.lines.toString());
        assertTrue(log.lines.get(0).endsWith("The backup result is unaffected."), log.lines.toString());
    }

    @Test
    void theTotalWaitIsBoundedToo() {
        for (int i = 0; i < 10; i++) {
            script.add(status(503, null, Map.of()));
        }
        NotificationResult r = notifier().maxAttempts(10).initialBackoff(Duration.ofSeconds(1))
                .maxTotalWait(Duration.ofSeconds(5)).build().send(failedBackup(), log);
        assertFalse(r.delivered());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps, "a third wait of 4 s would pass 5 s");
        assertEquals(3, r.attempts());
        assertTrue(r.message().contains("would exceed the 5.0 s allowed in all"), r.message());
    }

    @Test
    void aRejectedMessageIsNotRetriedAndSaysWhy() {
        script.add(status(400, "{\"code\": 50035, \"message\": \"Invalid Form Body\"}", Map.of()));
        NotificationResult r = notifier().build().send(failedBackup(), log);
        assertFalse(r.delivered());
        assertEquals(1, r.attempts());
        assertEquals(1, received.size());
        assertEquals("HTTP 400, code 50035: Invalid Form Body: Discord rejected the message", r.message());
    }

    @Test
    void anUnknownWebhookSaysToCheckTheCredential() {
        script.add(status(404, "{\"message\": \"Unknown Webhook\", \"code\": 10015}", Map.of()));
        NotificationResult r = notifier().build().send(failedBackup(), log);
        assertFalse(r.delivered());
        assertEquals(1, r.attempts());
        assertTrue(r.message().contains("code 10015: Unknown Webhook: the webhook does not exist"), r.message());
    }

    @Test
    void aReceiverThatNeverAnswersTimesOutWithinBounds() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/api/webhooks/1/" + TOKEN;
            long start = System.nanoTime();
            NotificationResult r = DiscordWebhookNotifier.builder(url).sleeper(recordingSleeper)
                    .requestTimeout(Duration.ofMillis(400)).maxAttempts(2).build().send(failedBackup(), log);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertFalse(r.delivered());
            assertEquals(2, r.attempts());
            assertEquals(-1, r.httpStatus());
            assertTrue(r.message().startsWith("no response within 0.4 s; gave up after 2 attempts"), r.message());
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "bounded: " + took);
            assertEquals(1, sleeps.size());
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aClosedPortIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        NotificationResult r = DiscordWebhookNotifier.builder("http://127.0.0.1:" + port + "/api/webhooks/1/" + TOKEN)
                .sleeper(recordingSleeper).maxAttempts(2).build().send(failedBackup(), log);
        assertFalse(r.delivered());
        assertEquals(2, r.attempts());
        assertTrue(r.message().startsWith("could not connect to Discord"), r.message());
    }

    @Test
    void theWebhookUrlAppearsInNoMessageLogOrResult() {
        // Discord echoing the URL, and failures whose exceptions may carry the URI
        script.add(status(400, "{\"message\": \"bad webhook " + webhookUrl() + "\", \"code\": 1}", Map.of()));
        List<NotificationResult> results = new ArrayList<>();
        results.add(notifier().build().send(failedBackup(), log));
        results.add(DiscordWebhookNotifier.builder("https://discord.com/api/webhooks/1/" + TOKEN + " with space")
                .build().send(failedBackup(), log));
        results.add(DiscordWebhookNotifier.builder("ftp://discord.com/api/webhooks/1/" + TOKEN).build()
                .send(failedBackup(), log));
        results.add(DiscordWebhookNotifier.builder("http://[::1/api/webhooks/1/" + TOKEN).build()
                .send(failedBackup(), log));
        results.add(DiscordWebhookNotifier.builder("http://127.0.0.1:1/api/webhooks/1/" + TOKEN)
                .sleeper(recordingSleeper).maxAttempts(1).build().send(failedBackup(), log));
        List<String> everything = new ArrayList<>(log.lines);
        everything.addAll(julMessages);
        results.forEach(r -> everything.add(r.message()));
        everything.add(notifier().build().toString());
        assertEquals(5, results.stream().filter(r -> !r.delivered()).count());
        assertTrue(julMessages.size() >= 5, "failures are logged: " + julMessages);
        for (String s : everything) {
            assertFalse(s.contains(TOKEN.substring(0, 20)), "leaks the token: " + s);
            assertFalse(s.contains("1234567890/"), "leaks the webhook path: " + s);
        }
        assertTrue(results.get(0).message().contains("bad webhook https://discord.com/api/webhooks/****")
                || results.get(0).message().contains("bad webhook ****"), results.get(0).message());
        assertEquals("the Discord webhook URL is missing or is not an http(s) URL", results.get(1).message());
    }

    @Test
    void aMissingWebhookIsReportedNotThrown() {
        NotificationResult r = DiscordWebhookNotifier.builder(null).build().send(failedBackup(), log);
        assertFalse(r.delivered());
        assertEquals(0, r.attempts());
        assertEquals(1, log.lines.size());
    }

    @Test
    void anInterruptStopsTheAttemptsAndStaysSet() {
        script.add(status(500, null, Map.of()));
        Thread.currentThread().interrupt();
        try {
            NotificationResult r = notifier().build().send(failedBackup(), log);
            assertFalse(r.delivered());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is not swallowed");
            assertTrue(r.message().startsWith("interrupted"), r.message());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void usesTheSuppliedClientBuilderWithItsProxy() {
        // A plain-HTTP proxy receives the absolute URL; the JDK HttpServer serves it from its path.
        HttpClient.Builder viaProxy = HttpClient.newBuilder().proxy(ProxySelector.of(server.getAddress()));
        NotificationResult r = DiscordWebhookNotifier.builder("http://discord.invalid/api/webhooks/1/" + TOKEN)
                .httpClientBuilder(viaProxy).sleeper(recordingSleeper).build()
                .send(DiscordPayloadTest.backup(true).build(), log);
        assertTrue(r.delivered(), r.message());
        assertEquals(1, received.size());
        assertTrue(received.get(0).path().startsWith("http://discord.invalid/api/webhooks/1/"), received.get(0).path());
    }
}
