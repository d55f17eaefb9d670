package io.jenkins.plugins.pgbackup.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.db.SslMode;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerVersionDetectorTest {
    private static final Instant NOW = Instant.parse("2026-11-17T15:04:05Z");
    private final ServerVersionDetector detector =
            new ServerVersionDetector(Duration.ofSeconds(10), Clock.fixed(NOW, ZoneOffset.UTC));

    @ParameterizedTest
    @ValueSource(ints = {12, 13, 14, 15, 16, 17, 18})
    void detectsTheMajorOfARealServer(int major) throws Exception {
        ServerVersion v = detector.detect(PostgresServers.get(major).spec());
        assertEquals(major, v.version().major());
        assertTrue(v.versionText().startsWith("PostgreSQL " + major + "."), v.versionText());
        assertEquals(NOW, v.detectedAt());
    }

    @Test
    void aRefusedConnectionFailsFastNamingTheServerButNotThePassword() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ConnectionSpec spec = new ConnectionSpec("127.0.0.1", closedPort, "prod", "backup", "Secret-123",
                SslMode.PREFER, 3);
        long start = System.nanoTime();
        VersionDetectionException e = assertThrows(VersionDetectionException.class, () -> detector.detect(spec));
        assertTrue(elapsedMs(start) < 3_000, "fails fast: " + elapsedMs(start) + " ms");
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
        assertTrue(e.getMessage().contains("database prod"), e.getMessage());
        assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused"), e.getMessage());
        assertNoSecret(e, "Secret-123");
    }

    @Test
    void aServerThatAcceptsButNeverAnswersTimesOutWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ConnectionSpec spec = new ConnectionSpec("127.0.0.1", silent.getLocalPort(), "prod", "backup",
                    "Secret-456", SslMode.PREFER, 2);
            long start = System.nanoTime();
            VersionDetectionException e = assertThrows(VersionDetectionException.class, () -> detector.detect(spec));
            long ms = elapsedMs(start);
            assertTrue(ms >= 1_500 && ms < 6_000, "bounded by the 2 s connect timeout: " + ms + " ms");
            assertTrue(e.getMessage().contains("127.0.0.1:" + silent.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timed out"), e.getMessage());
            assertTrue(e.getMessage().contains("connect timeout 2 s"), e.getMessage());
            assertNoSecret(e, "Secret-456");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aWrongPasswordFailsClearlyAndThePasswordAppearsNowhere() {
        PostgresServers.Server server = PostgresServers.get(16);
        String wrong = "Wrong-" + System.nanoTime();
        VersionDetectionException e = assertThrows(VersionDetectionException.class,
                () -> detector.detect(server.specWithPassword(wrong)));
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertTrue(e.getMessage().contains("user postgres at localhost:" + server.port()), e.getMessage());
        assertNoSecret(e, wrong);
        assertNoSecret(e, PostgresServers.PASSWORD);
    }

    @Test
    void aMissingDatabaseIsNamed() {
        PostgresServers.Server server = PostgresServers.get(16);
        VersionDetectionException e = assertThrows(VersionDetectionException.class,
                () -> detector.detect(server.spec("no_such_db")));
        assertTrue(e.getMessage().contains("database \"no_such_db\" does not exist"), e.getMessage());
    }

    @Test
    void databaseNamesWithAnyCharactersReachTheServer() throws Exception {
        PostgresServers.Server server = PostgresServers.get(16);
        String name = "we/ird?db&x=1 #%";
        server.createDatabase(name);
        assertEquals(16, detector.detect(server.spec(name)).version().major());
    }

    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "170006|17.6 (Debian 17.6-1.pgdg13+1)|PostgreSQL 17.6 (Debian 17.6-1.pgdg13+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 14.2.0-19) 14.2.0, 64-bit|17.6",
        "140011|14.11 (Ubuntu 14.11-0ubuntu0.22.04.1)|PostgreSQL 14.11 (Ubuntu 14.11-0ubuntu0.22.04.1) on x86_64-pc-linux-gnu, compiled by gcc|14.11",
        "150004|15.4|PostgreSQL 15.4 on aarch64-unknown-linux-gnu, compiled by aarch64-unknown-linux-gnu-gcc (GCC) 9.5.0, 64-bit|15.4",
        "160002|16.2.0|PostgreSQL 16.2 (EnterpriseDB Advanced Server 16.2.0) on x86_64-pc-linux-gnu, compiled by gcc|16.2",
        "160004|15.0|PostgreSQL 15.0 (a fork that lies in its banner)|16.4",
        "NULL|16.2 (Debian 16.2-1.pgdg120+2)|NULL|16.2",
        "not-a-number|NULL|EnterpriseDB 9.6.2.7 on x86_64-pc-linux-gnu, compiled by gcc|9.6.2",
        "NULL|NULL|PostgreSQL 18beta1 on x86_64-pc-linux-gnu|18.0",
        "90624|9.6.24|PostgreSQL 9.6.24 on x86_64-pc-linux-gnu|9.6.24",
    })
    void readsVendorBuildsFromServerVersionNumFirst(String num, String serverVersion, String text, String expected) {
        assertEquals(PostgresVersion.parse(expected), ServerVersionDetector.parse(num, serverVersion, text));
    }

    @Test
    void aServerThatNamesNoVersionIsNotGuessed() {
        assertNull(ServerVersionDetector.parse(null, "unknown", "CockroachDB CCL v23.1"));
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void assertNoSecret(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret in " + t);
            assertFalse(t.toString().contains(secret));
        }
    }
}
