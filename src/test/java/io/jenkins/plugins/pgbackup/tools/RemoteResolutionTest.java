package io.jenkins.plugins.pgbackup.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.process.PipedProcessStarter;
import io.jenkins.plugins.pgbackup.testing.ContainerLikeLauncher;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolution where the clients run elsewhere (a container) follows the same rules as here: the same locations
 * (well-known patterns with any major, configured roots), the same versions and compression support, in the same
 * order; that side's own PATH comes last.
 */
class RemoteResolutionTest {
    @TempDir
    Path tmp;

    private PipedProcessStarter container(Path pathDir) throws Exception {
        return new PipedProcessStarter(new ContainerLikeLauncher(pathDir, tmp.resolve("home")),
                Files.createDirectories(tmp.resolve("ws@tmp")), tmp.toString(), "test container");
    }

    private static List<String> describe(List<ClientTool> tools) {
        return tools.stream().map(t -> t + " gzip=" + t.supportsGzip() + " lz4=" + t.supportsLz4() + " zstd="
                + t.supportsZstd()).toList();
    }

    private static List<ClientTool> under(List<ClientTool> tools, Path root) {
        return tools.stream().filter(t -> t.executable().startsWith(root)).toList();
    }

    @Test
    void findsTheSameClientsThroughAWellKnownPatternAndAConfiguredRoot() throws Exception {
        Path root = PgClients.requireRoot();
        ToolLocations locations = ToolLocations.of(List.of(root + "/{N}/bin"), List.of(root.toString()), List.of());
        PipedProcessStarter starter = container(Files.createDirectories(tmp.resolve("empty")));

        for (ToolKind kind : List.of(ToolKind.PG_DUMP, ToolKind.PG_RESTORE, ToolKind.PSQL)) {
            List<ClientTool> here = new ToolResolver(locations).installed(kind);
            List<ClientTool> there = new ToolResolver(locations, starter).installed(kind);
            assertEquals(describe(under(here, root)), describe(under(there, root)), kind.command());
            assertEquals(PgClients.MAJORS.size(), under(there, root).size(), describe(there).toString());
        }
    }

    @Test
    void searchesThatSidesPathLastAndSaysSoWhenNothingFits() throws Exception {
        PipedProcessStarter starter = container(PgClients.binDir(13));
        ToolResolver resolver = new ToolResolver(ToolLocations.of(List.of(), List.of(), List.of()), starter);

        ClientTool found = resolver.installed(ToolKind.PG_DUMP).get(0);
        NoSuitableClientException e = org.junit.jupiter.api.Assertions.assertThrows(NoSuitableClientException.class,
                () -> resolver.resolve(ToolKind.PG_DUMP, ClientPolicy.forServer(
                        io.jenkins.plugins.pgbackup.db.PostgresVersion.parse("17.2")), io.jenkins.plugins.pgbackup
                        .engine.EngineLog.none()));

        assertEquals(PgClients.tool(13, "pg_dump"), found.executable());
        assertTrue(e.getMessage().contains("test container"), e.getMessage());
    }
}
