package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.pgbackup.notify.Notification;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Notifications go out with the HTTP client Jenkins configures ({@code ProxyConfiguration.newHttpClientBuilder()}).
 * That the notifier sends through whatever proxy that client has is tested without Jenkins
 * ({@code DiscordWebhookNotifierTest#usesTheSuppliedClientBuilderWithItsProxy}); here the client comes from a real
 * Jenkins. Setting a proxy in this test needs {@code Jenkins#setProxy}, which the API stand-in does not declare.
 */
@WithJenkins
class DiscordJenkinsTest {

    @Test
    void aNotificationIsDeliveredWithJenkinsHttpClient(JenkinsRule r) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/webhooks/1/token";
            Notification n = Notification.builder(Notification.Kind.BACKUP, true).database("app")
                    .duration(Duration.ofSeconds(3)).buildName("job #1").build();
            RecordingLog log = new RecordingLog();
            assertTrue(EngineBridge.notifyDiscord(url, n, log), log.all());
            assertEquals(List.of("POST /api/webhooks/1/token"), received);
        } finally {
            server.stop(0);
        }
    }
}
