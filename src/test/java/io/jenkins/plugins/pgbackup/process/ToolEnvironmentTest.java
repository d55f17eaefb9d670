package io.jenkins.plugins.pgbackup.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.testing.Environment;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolEnvironmentTest {
    private static Map<String, String> german() {
        Map<String, String> env = new HashMap<>(System.getenv());
        // Only the language: the german-agent execution's libpq leftovers would fail the connection differently.
        env.keySet().removeIf(v -> v.startsWith("PG"));
        env.put("LANGUAGE", "de");
        env.put("LC_ALL", "de_DE.UTF-8");
        env.remove("LC_MESSAGES");
        return env;
    }

    @Test
    void lcAllMovesToEveryCategoryButTheMessages() {
        Map<String, String> env = german();
        ToolEnvironment.applyTo(env);
        assertNull(env.get("LC_ALL"), "LC_ALL would override LC_MESSAGES");
        assertNull(env.get("LANGUAGE"));
        assertEquals("C", env.get("LC_MESSAGES"));
        assertEquals("de_DE.UTF-8", env.get("LC_CTYPE"), "the encoding stays the agent's");
        assertEquals("de_DE.UTF-8", env.get("LC_COLLATE"));
        assertEquals("de_DE.UTF-8", env.get("LC_NUMERIC"));
    }

    @Test
    void withoutLcAllTheAgentsCategoriesStay() {
        Map<String, String> env = new HashMap<>(Map.of("LANG", "de_DE.UTF-8", "LC_CTYPE", "de_DE.UTF-8",
                "LANGUAGE", "de:en", "PATH", "/usr/bin"));
        ToolEnvironment.applyTo(env);
        assertEquals(Map.of("LANG", "de_DE.UTF-8", "LC_CTYPE", "de_DE.UTF-8", "LC_MESSAGES", "C", "PATH", "/usr/bin"),
                env);
    }

    @Test
    void everyVariableLibpqReadsIsRemoved() {
        Map<String, String> env = new HashMap<>();
        for (String v : List.of("PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGPASSFILE",
                "PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR", "PGOPTIONS", "PGAPPNAME", "PGSSLMODE", "PGREQUIRESSL",
                "PGSSLCERT", "PGSSLKEY", "PGSSLROOTCERT", "PGSSLCRL", "PGREQUIREAUTH", "PGCHANNELBINDING",
                "PGGSSENCMODE", "PGCONNECT_TIMEOUT", "PGCLIENTENCODING", "PGTARGETSESSIONATTRS", "PGTZ", "PGDATESTYLE",
                "PGLOCALEDIR", "PG_COLOR", "PSQLRC")) {
            env.put(v, "agent's leftover");
        }
        env.put("PGBACKUP_UNRELATED", "kept");
        ToolEnvironment.applyTo(env);
        assertEquals(Map.of("PGBACKUP_UNRELATED", "kept", "LC_MESSAGES", "C"), env);
    }

    /**
     * The real clients on a German agent: as the agent has them they answer in German (so this test means something
     * here), in the tools' environment in English, with the agent's encoding.
     */
    @ParameterizedTest(name = "client {0}")
    @ValueSource(ints = {13, 15, 17, 18})
    @EnabledOnOs(OS.LINUX)
    void aGermanAgentsClientsAnswerInEnglish(int major) throws Exception {
        List<String> command = List.of(PgClients.tool(major, "pg_dump").toString(), "--no-password",
                "--host=127.0.0.1", "--port=" + closedPort(), "--dbname=postgres");
        String asTheAgentHasIt = stderr(command, german());
        Environment.require(asTheAgentHasIt.contains("Verbindung") || asTheAgentHasIt.contains("verbinden"),
                "client " + major + " does not answer in German with LC_ALL=de_DE.UTF-8 (locale de_DE.UTF-8 not "
                        + "generated, or translations missing; see .ci/run): " + asTheAgentHasIt);

        Map<String, String> tools = german();
        ToolEnvironment.applyTo(tools);
        String english = stderr(command, tools);
        assertTrue(english.contains("connection to server at \"127.0.0.1\"")
                || english.contains("could not connect to server: Connection refused"), english);
        assertFalse(english.contains("Verbindung"), english);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theToolsKeepTheAgentsEncoding() throws Exception {
        Map<String, String> tools = german();
        ToolEnvironment.applyTo(tools);
        String locale = run(List.of("locale"), tools, false);
        assertTrue(locale.contains("LC_CTYPE=\"de_DE.UTF-8\"") || locale.contains("LC_CTYPE=de_DE.UTF-8"), locale);
        assertTrue(locale.contains("LC_MESSAGES=C"), locale);
        assertTrue(locale.contains("LC_ALL=\n") || locale.endsWith("LC_ALL="), locale);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String stderr(List<String> command, Map<String, String> env) throws Exception {
        return run(command, env, true);
    }

    private static String run(List<String> command, Map<String, String> env, boolean stderr) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = (stderr ? p.getErrorStream() : p.getInputStream()).readAllBytes();
        p.waitFor();
        return new String(out, StandardCharsets.UTF_8).strip();
    }
}
