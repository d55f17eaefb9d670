package io.jenkins.plugins.pgbackup.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolLocationsTest {
    @Test
    void searchesTheWellKnownDirectoriesThenConfiguredRootsThenPath() {
        ToolLocations locations = ToolLocations.of(ToolLocations.WELL_KNOWN, List.of("/srv/pg-clients"),
                List.of("/usr/local/bin", "/usr/bin"));
        assertEquals(List.of(
                "/usr/lib/postgresql/17/bin",
                "/usr/local/pgsql/17/bin",
                "/opt/postgresql/17/bin",
                "/Library/PostgreSQL/17/bin",
                "/usr/pgsql-17/bin",
                "/usr/libexec/postgresql17",
                "/opt/homebrew/opt/postgresql@17/bin",
                "/usr/local/opt/postgresql@17/bin",
                "/Applications/Postgres.app/Contents/Versions/17/bin",
                "C:\\Program Files\\PostgreSQL\\17\\bin",
                "/srv/pg-clients",
                "/srv/pg-clients/17/bin",
                "/srv/pg-clients/bin",
                "/usr/local/bin",
                "/usr/bin"), locations.candidates("17"));
    }

    @Test
    void theDefaultsEndWithThisMachinesPath() {
        List<String> candidates = ToolLocations.defaults(List.of()).candidates("16");
        String path = System.getenv("PATH");
        List<String> entries = java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank()).toList();
        assertEquals(ToolLocations.WELL_KNOWN.size() + entries.size(), candidates.size());
        assertEquals(entries, candidates.subList(ToolLocations.WELL_KNOWN.size(), candidates.size()));
    }

    @Test
    void aWellKnownLocationMustNameTheMajor() {
        assertThrows(IllegalArgumentException.class, () -> ToolLocations.of(List.of("/opt/pg/bin"), List.of(), List.of()));
    }
}
