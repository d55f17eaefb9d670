package io.jenkins.plugins.pgbackup.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.testing.Environment;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Runs in the german-agent test execution (pom.xml) only: checks that the agent it simulates is what it claims, so
 * that the engine suites which run next to it prove something. German messages, libpq variables that would send the
 * tools elsewhere, a HOME nothing can write to.
 */
@EnabledIfEnvironmentVariable(named = "LANGUAGE", matches = "de")
class AgentEnvironmentTest {
    private static List<String> psqlSelectOne(ConnectionSpec spec) {
        List<String> command = new ArrayList<>(List.of(PgClients.tool(17, "psql").toString(), "--no-psqlrc",
                "--tuples-only", "--no-align", "--command=SELECT 1"));
        command.addAll(LibpqArguments.connectionArguments(spec));
        return command;
    }

    @Test
    void theAgentsOwnEnvironmentMakesAClientAnswerInGermanAndGoElsewhere() throws Exception {
        ConnectionSpec spec = PostgresServers.get(17).spec();
        try (PgPassFile pgpass = PgPassFile.create(spec)) {
            // As any program on the agent would run it: the agent's environment, only the password file added.
            ProcessBuilder raw = new ProcessBuilder(psqlSelectOne(spec));
            raw.environment().putAll(pgpass.environment());
            Process p = raw.start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor() != 0, "the agent's PGSSLMODE=require, PGREQUIREAUTH... must break it: " + err);
            Environment.require(err.contains("»") && !err.contains("connection to server"),
                    "client 17 does not answer in German with LC_ALL=de_DE.UTF-8 (.ci/run generates the locale, "
                            + ".ci/install-pg-clients points the clients at their translations): " + err);
        }
    }

    @Test
    void theToolsIgnoreItAndAnswerInEnglish() throws Exception {
        ConnectionSpec spec = PostgresServers.get(17).spec();
        try (PgPassFile pgpass = PgPassFile.create(spec)) {
            ProcessResult r = ProcessRunner.of(psqlSelectOne(spec)).environment(pgpass.environment()).run();
            assertEquals("1", r.stdoutText().strip(), r.describeFailure());
        }
        ConnectionSpec wrong = PostgresServers.get(17).specWithPassword("wrong");
        try (PgPassFile pgpass = PgPassFile.create(wrong)) {
            ProcessResult r = ProcessRunner.of(psqlSelectOne(wrong)).environment(pgpass.environment()).run();
            assertTrue(r.stderr().startsWith("psql: error: connection to server at"), r.stderr());
        }
    }

    @Test
    void homeCannotBeWritten() {
        Path home = Path.of(System.getenv("HOME"));
        assertThrows(IOException.class, () -> Files.createFile(home.resolve(".pgbackup-write-test")));
    }
}
