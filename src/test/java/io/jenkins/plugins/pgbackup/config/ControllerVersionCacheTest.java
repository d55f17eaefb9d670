package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The version cache is an XmlFile of its own in JENKINS_HOME; a cache in the old format is carried over once. */
@WithJenkins
class ControllerVersionCacheTest {

    @Test
    void anOldFormatCacheIsCarriedOverIntoTheXmlFileAndReadBackFromIt(JenkinsRule r) throws Exception {
        File home = r.jenkins.getRootDir();
        File legacy = new File(home, ControllerVersionCache.LEGACY_FILE_NAME);
        Properties p = new Properties();
        p.setProperty("0.server", "db:5432/app");
        p.setProperty("0.num", "160004");
        p.setProperty("0.text", "PostgreSQL 16.4 on x86_64");
        p.setProperty("0.at", "1787000000000");
        try (OutputStream out = Files.newOutputStream(legacy.toPath())) {
            p.storeToXML(out, "PostgreSQL server versions detected by the PostgreSQL Backup plugin");
        }

        VersionCacheStore store = new VersionCacheStore(new ControllerVersionCache.InJenkinsHome(home));
        assertEquals(new VersionCacheStore.Entry("db:5432/app", 160004, "PostgreSQL 16.4 on x86_64", 1787000000000L),
                store.get("db:5432/app"));
        assertFalse(legacy.exists(), "carried over once");
        File xml = new File(home, ControllerVersionCache.FILE_NAME);
        String content = Files.readString(xml.toPath(), StandardCharsets.UTF_8);
        assertTrue(content.contains("<server>db:5432/app</server>"), content);

        store.record(new VersionCacheStore.Entry("other:5432/x", 170006, "PostgreSQL 17.6", 1787000001000L));
        List<VersionCacheStore.Entry> reread =
                new VersionCacheStore(new ControllerVersionCache.InJenkinsHome(home)).all();
        assertEquals(store.all(), reread);
    }
}
