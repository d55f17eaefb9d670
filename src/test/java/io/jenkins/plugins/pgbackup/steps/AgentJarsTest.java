package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jars {@link AgentPreload} sends are the jars the agent side reads: a real backup and a real restore
 * ({@link AgentWorkload}) run in a separate JVM with class loading logged, and every jar a class came from after the
 * plans were made must be named in {@link AgentJars}, and every jar named there must have been read.
 *
 * <p>Left out of the comparison, with why: the JDK; the test's own classes; Jenkins core and remoting and what core
 * serves to plugins ({@code slf4j-api}, {@code jcl-over-slf4j}, {@code commons-logging}: an agent gets them from core's
 * class loader, which a plugin does not preload into); the SLF4J binding, whichever the test class path has: core's own
 * {@code slf4j-jdk14} in a build with the real test harness, {@code logback} here.
 */
class AgentJarsTest {

    private static final Pattern SOURCE = Pattern.compile(" source: (?:jar:)?(file:[^ !]+)");
    private static final List<String> NOT_PRELOADED = List.of("jenkins-core-", "remoting-", "slf4j-api-",
            "jcl-over-slf4j-", "commons-logging-", "slf4j-jdk14-", "logback-");

    @Test
    void theAnchorsNameExactlyTheJarsABackupAndARestoreReadOnTheAgent(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("classes.log");
        runWorkload(tmp, log);
        Set<Path> read = agentSideSources(log);
        assertTrue(read.contains(location(EngineBridge.class)), "the marker was found and the engine ran: " + read);

        Set<Path> named = new TreeSet<>();
        for (Class<?> anchor : AgentJars.anchors()) {
            assertTrue(named.add(location(anchor)), "one class per jar: " + anchor + " repeats " + location(anchor));
        }
        Set<Path> missing = new TreeSet<>(read);
        missing.removeAll(named);
        assertEquals(Set.of(), missing, "the agent side reads these jars, AgentJars does not name them");
        Set<Path> unused = new TreeSet<>(named);
        unused.removeAll(read);
        assertEquals(Set.of(), unused, "AgentJars names these jars, the agent side does not read them");
    }

    @Test
    void anchorsAreGroupedByTheLoaderThatDefinedThemAndOnlyJarsAreSent() throws Exception {
        URL pgJdbc = org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader plugin = new URLClassLoader(new URL[] {pgJdbc}, ClassLoader.getPlatformClassLoader())) {
            Class<?> driver = plugin.loadClass("org.postgresql.Driver");
            Class<?> sdk = software.amazon.awssdk.core.SdkBytes.class;
            Map<ClassLoader, List<Class<?>>> groups =
                    AgentJars.byLoader(List.of(EngineBridge.class, driver, sdk, String.class));
            assertEquals(Map.of(plugin, List.of(driver), sdk.getClassLoader(), List.of(sdk)), groups,
                    "a class from a directory (this test run's own classes) and the JDK's are left out");
        }
        assertFalse(AgentJars.inJar(EngineBridge.class));
        assertTrue(AgentJars.inJar(software.amazon.awssdk.services.s3.S3Client.class));
    }

    private static void runWorkload(Path tmp, Path log) throws Exception {
        PostgresServers.Server server = PostgresServers.get(17);
        String db = "jars_" + UUID.randomUUID().toString().substring(0, 8);
        server.createDatabase(db);
        try (Connection c = server.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 100) g");
        }
        try (S3ProxyServer s3 = S3ProxyServer.inMemory()) {
            ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                    AgentWorkload.class.getName(), String.valueOf(server.port()), db, s3.endpoint().toString(),
                    s3.createBucket(), PgClients.requireRoot().toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
            pb.environment().put("PGB_PG_PASSWORD", PostgresServers.PASSWORD);
            pb.environment().put("PGB_S3_ACCESS", S3ProxyServer.ACCESS_KEY);
            pb.environment().put("PGB_S3_SECRET", S3ProxyServer.SECRET_KEY);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            assertEquals(0, p.waitFor(), Files.readString(tmp.resolve("out.txt")));
        }
    }

    /** Where the classes loaded after the agent side's marker came from, less what is never preloaded. */
    private static Set<Path> agentSideSources(Path log) throws Exception {
        Set<Path> sources = new HashSet<>();
        boolean agentSide = false;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            agentSide |= line.contains(" " + AgentWorkload.AgentSide.class.getName() + " source:");
            Matcher m = SOURCE.matcher(line);
            if (agentSide && m.find()) {
                Path p = Paths.get(URI.create(m.group(1))).normalize();
                String name = p.getFileName().toString();
                boolean jar = name.endsWith(".jar");
                if (jar ? NOT_PRELOADED.stream().noneMatch(name::startsWith) : p.equals(location(EngineBridge.class))) {
                    sources.add(p);
                }
            }
        }
        return sources;
    }

    private static Path location(Class<?> c) throws Exception {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).normalize();
    }
}
