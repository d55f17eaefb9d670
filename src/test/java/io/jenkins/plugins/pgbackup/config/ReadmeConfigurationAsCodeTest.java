package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's Configuration as Code example applies as written: every attribute exists, every object binds through
 * its constructor and setters, and every value passes the checks the configuration applies. On a real Jenkins the
 * configuration-as-code plugin would apply it; it is not a dependency of this build (see the report of issue 8).
 */
class ReadmeConfigurationAsCodeTest {

    @Test
    void theReadmeExampleAppliesAsWritten() throws Exception {
        CascLikeBinder.Result r = CascLikeBinder.apply(readmeYaml());
        assertEquals(List.of(), r.errors());
        assertEquals(List.of("connections", "storageTargets", "discord", "timeoutMinutes", "format", "retention",
                "versionCacheHours", "toolSearchRoots"), List.copyOf(r.values().keySet()));
        @SuppressWarnings("unchecked")
        List<StorageTarget> targets = (List<StorageTarget>) r.values().get("storageTargets");
        StorageTarget r2 = targets.get(0);
        assertEquals(StorageProvider.CLOUDFLARE_R2, r2.getProvider());
        assertEquals("https://ACCOUNT_ID.r2.cloudflarestorage.com", r2.getEndpoint());
        assertEquals(14, r2.getRetention().getKeepLast());
        @SuppressWarnings("unchecked")
        List<DatabaseConnection> connections = (List<DatabaseConnection>) r.values().get("connections");
        assertEquals("16", connections.get(1).getPostgresVersion());
        assertEquals(5432, connections.get(1).getPort(), "the default port when none is given");
        // The placeholder is accepted, and the form says to replace it.
        assertEquals(FieldCheck.warning(Messages.Validation_EndpointPlaceholder("ACCOUNT_ID.r2.cloudflarestorage.com")),
                r2.validate());
    }

    @Test
    void anExampleTheConfigurationWouldRefuseFailsHere() throws Exception {
        String yaml = readmeYaml().replace("https://ACCOUNT_ID.r2.cloudflarestorage.com", "ftp://r2.example.com");
        CascLikeBinder.Result r = CascLikeBinder.apply(yaml);
        assertEquals(List.of("storageTargets: r2: " + Messages.Validation_EndpointInvalid("ftp://r2.example.com")),
                r.errors());
    }

    @Test
    void anAttributeTheConfigurationDoesNotHaveFailsHere() throws Exception {
        String yaml = readmeYaml().replace("    timeoutMinutes: 60", "    timeoutMinute: 60")
                .replace("        sslMode: verify-full", "        sslmode: verify-full");
        CascLikeBinder.Result r = CascLikeBinder.apply(yaml);
        assertEquals(2, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).contains("DatabaseConnection has no attribute 'sslmode'"), r.errors().get(0));
        assertEquals("postgresqlBackup: no attribute 'timeoutMinute'", r.errors().get(1));
    }

    @Test
    void aValueASetterRefusesFailsHere() throws Exception {
        String yaml = readmeYaml().replace("    versionCacheHours: 24", "    versionCacheHours: -1")
                .replace("      - name: staging", "      - name: prod");
        CascLikeBinder.Result r = CascLikeBinder.apply(yaml);
        assertEquals(List.of("connections: " + Messages.Validation_NameDuplicate("prod"),
                "versionCacheHours: " + Messages.Validation_CacheHoursRange(ConfigValidation.MAX_CACHE_HOURS)),
                r.errors());
    }

    /** The yaml block under the README's "Configuration as Code" heading. */
    static String readmeYaml() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        int heading = lines.indexOf("### Configuration as Code");
        assertTrue(heading >= 0, "README.md has no '### Configuration as Code' section");
        int start = heading + 1;
        while (start < lines.size() && !lines.get(start).equals("```yaml")) {
            assertTrue(!lines.get(start).startsWith("#"), "no yaml block in the README's Configuration as Code section");
            start++;
        }
        int end = lines.subList(start + 1, lines.size()).indexOf("```") + start + 1;
        assertTrue(start < lines.size() && end > start, "no closed yaml block under Configuration as Code");
        return String.join("\n", lines.subList(start + 1, end)) + "\n";
    }
}
