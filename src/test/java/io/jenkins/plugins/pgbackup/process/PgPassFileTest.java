package io.jenkins.plugins.pgbackup.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.SslMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class PgPassFileTest {
    @TempDir
    Path dir;

    private final ConnectionSpec spec =
            new ConnectionSpec("db.example", 6432, "prod", "ad:min", "p:w\\rd", SslMode.VERIFY_FULL, 7);

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void isOwnerOnlyAndDeletedOnClose() throws Exception {
        Path path;
        try (PgPassFile pgpass = PgPassFile.create(spec, dir)) {
            path = pgpass.path();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertEquals(path.getParent(), dir);
        }
        assertFalse(Files.exists(path));
    }

    @Test
    void escapesColonsAndBackslashesAndMatchesAnyDatabase() throws Exception {
        try (PgPassFile pgpass = PgPassFile.create(spec, dir)) {
            assertEquals("db.example:6432:*:ad\\:min:p\\:w\\\\rd\n", Files.readString(pgpass.path()));
        }
    }

    @Test
    void aSocketDirectoryMatchesLiterallyAndAsLocalhost() throws Exception {
        ConnectionSpec socket = new ConnectionSpec("/var/run/postgresql", 5432, "prod", "u", "pw");
        try (PgPassFile pgpass = PgPassFile.create(socket, dir)) {
            assertEquals("/var/run/postgresql:5432:*:u:pw\nlocalhost:5432:*:u:pw\n", Files.readString(pgpass.path()));
        }
    }

    @Test
    void providesTheEnvironmentForLibpq() throws Exception {
        try (PgPassFile pgpass = PgPassFile.create(spec, dir)) {
            assertEquals(Map.of("PGPASSFILE", pgpass.path().toString(), "PGSSLMODE", "verify-full",
                    "PGCONNECT_TIMEOUT", "7"), pgpass.environment());
        }
    }

    @Test
    void refusesPasswordsWithLineBreaksWithoutNamingThem() throws Exception {
        ConnectionSpec bad = new ConnectionSpec("h", 5432, "d", "u", "line1\nline2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgPassFile.create(bad, dir));
        assertFalse(e.getMessage().contains("line1"));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing left behind");
        }
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        PgPassFile pgpass = PgPassFile.create(spec, dir);
        pgpass.close();
        pgpass.close();
        assertTrue(Files.notExists(pgpass.path()));
    }
}
