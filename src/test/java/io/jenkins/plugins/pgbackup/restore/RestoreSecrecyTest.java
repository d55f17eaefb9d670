package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.SslMode;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.testing.DatabaseFingerprint;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.PostgresServers.Server;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password reaches pg_restore and psql only through a PGPASSFILE that is gone afterwards: never in their
 * arguments or environment, the log, the result or an exception. The real client 17 runs behind wrappers that record
 * exactly what each program was given.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreSecrecyTest {
    private static final List<String> WRAPPED = List.of("pg_dump", "pg_restore", "psql");

    @TempDir
    static Path work;
    private S3ProxyServer s3;
    private Restores restores;
    private Server server;
    private String source;
    private Path record;
    private Path wrappedRoot;

    @BeforeAll
    void wrapClientAndBackUp() throws Exception {
        s3 = S3ProxyServer.inMemory();
        restores = new Restores(s3, "secrecy");
        server = PostgresServers.get(17);
        source = Restores.name("secret_source");
        DatabaseFingerprint.loadRichSchema(server, source);
        record = Files.createDirectories(work.resolve("record"));
        Path bin = Files.createDirectories(work.resolve("wrapped/17/bin"));
        for (String tool : WRAPPED) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\n"
                    + "printf '%s\\n' \"$0\" \"$@\" >> '" + record.resolve("argv") + "'\n"
                    + "env >> '" + record.resolve("env") + "'\n"
                    + "[ -n \"$PGPASSFILE\" ] && [ -f \"$PGPASSFILE\" ] && printf '%s\\n' \"$PGPASSFILE\" >> '"
                    + record.resolve("pgpassfiles") + "'\n"
                    + "exec '" + PgClients.tool(17, tool) + "' \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        }
        wrappedRoot = work.resolve("wrapped");
    }

    @AfterAll
    void stopStorage() throws Exception {
        s3.close();
    }

    @Test
    void thePasswordGoesOnlyThroughAPasswordFileThatIsGoneAfterwards() throws Exception {
        BackupResult custom = restores.backup(server, source, DumpFormat.CUSTOM, 1);
        BackupResult plain = restores.backup(server, source, DumpFormat.PLAIN, 1);
        RecordingLog log = new RecordingLog();
        StringBuilder results = new StringBuilder();
        for (BackupResult b : List.of(custom, plain)) {
            String target = Restores.name("secret_target");
            RestoreResult r = new RestoreEngine().run(restores.request(server.spec(target))
                    .toolLocations(Restores.clientsUnder(wrappedRoot)).key(b.getKey()).createDatabase(true)
                    .build(), log);
            results.append(r).append(r.toMap());
            RestoreRoundTripTest.assertSameContent(server, source, server, target);
        }

        String argv = Files.readString(record.resolve("argv"));
        assertTrue(argv.contains("/pg_restore\n--exit-on-error\n"), "pg_restore ran behind its wrapper: " + argv);
        assertTrue(argv.contains("/psql\n--no-psqlrc\n"), "psql too: " + argv);
        assertTrue(argv.contains("\n--no-password\n"), argv);
        List<String> passwordFiles = Files.readAllLines(record.resolve("pgpassfiles"));
        assertEquals(2, passwordFiles.size(), "pg_restore and psql each got a password file: " + passwordFiles);
        for (String file : passwordFiles) {
            assertFalse(Files.exists(Path.of(file)), file + " was deleted");
        }
        assertNoPassword(argv, "arguments");
        assertNoPassword(Files.readString(record.resolve("env")), "environment");
        assertNoPassword(log.all(), "log");
        assertNoPassword(results.toString(), "results");
    }

    @Test
    void aWrongPasswordIsNeitherInTheMessageNorTheLog() throws Exception {
        BackupResult custom = restores.backup(server, source, DumpFormat.CUSTOM, 1);
        String wrong = "Wr0ng:pa$$ word'=";
        ConnectionSpec spec = new ConnectionSpec("localhost", server.port(), source, "postgres", wrong,
                SslMode.PREFER, 5);
        RecordingLog log = new RecordingLog();

        RestoreException e = assertThrows(RestoreException.class, () -> new RestoreEngine().run(
                restores.request(spec).key(custom.getKey()).build(), log));

        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertFalse(e.isTargetTouched());
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
        assertFalse(log.all().contains(wrong), log.all());
    }

    private static void assertNoPassword(String text, String where) {
        String password = PostgresServers.PASSWORD;
        assertFalse(text.contains(password), "the password is in the " + where);
        assertFalse(text.contains(URLEncoder.encode(password, StandardCharsets.UTF_8)),
                "the encoded password is in the " + where);
    }
}
