package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.config.VersionCacheStore;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.engine.ToolSetup;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one place both mappers build where and how the clients run. */
class CommonMappingToolsTest {

    @Test
    void timeoutPinCacheAndTheBuildsPathSplitWithTheAgentsSeparator() {
        VersionCacheStore.Entry cached = new VersionCacheStore.Entry("db:5432/app", 170002, "PostgreSQL 17.2", 1000L);
        ToolSetup t = CommonMapping.tools(12, PostgresVersion.ofMajor(15), List.of("/opt/pg"), "/a/bin;/b/bin", ";",
                List.of(cached), 6);
        assertEquals(Duration.ofMinutes(12), t.getTimeout());
        assertEquals(15, t.getPinnedVersion().major());
        assertEquals(List.of("/opt/pg"), t.getToolRoots());
        assertEquals(Duration.ofHours(6), t.getVersionCacheTtl());
        assertEquals(170002, t.getCachedVersions().entries().get("db:5432/app").version().versionNum());
        List<String> dirs = t.toolLocations().candidates("16");
        assertTrue(dirs.indexOf("/a/bin") >= 0 && dirs.indexOf("/a/bin") < dirs.indexOf("/b/bin"), dirs.toString());
    }
}
