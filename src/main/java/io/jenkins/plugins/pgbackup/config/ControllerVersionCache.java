package io.jenkins.plugins.pgbackup.config;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.XmlFile;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import jenkins.model.Jenkins;

/**
 * The controller's PostgreSQL version cache, in
 * {@code JENKINS_HOME/io.jenkins.plugins.pgbackup.config.ControllerVersionCache.xml}, written through {@link XmlFile}
 * like every other Jenkins file (atomic replacement, XStream), apart from the configuration. Backups on agents receive
 * the entry for their server and report what they detected back here.
 */
@Extension
public final class ControllerVersionCache {

    static final String FILE_NAME = ControllerVersionCache.class.getName() + ".xml";
    /** Where releases before the XmlFile one kept the cache, in another format; carried over once, then deleted. */
    static final String LEGACY_FILE_NAME = "io.jenkins.plugins.pgbackup.VersionCache.xml";
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private VersionCacheStore store;

    public static ControllerVersionCache get() {
        return ExtensionList.lookupSingleton(ControllerVersionCache.class);
    }

    /** Read lazily: extensions are created before every plugin is ready. */
    public synchronized VersionCacheStore store() {
        if (store == null) {
            store = new VersionCacheStore(new InJenkinsHome(Jenkins.get().getRootDir()));
        }
        return store;
    }

    /** "PostgreSQL 17.6, detected 2026-08-21 14:03:00 UTC", or "not detected yet". */
    public String describe(String serverKey) {
        return describe(store().get(serverKey), ZoneId.systemDefault());
    }

    static String describe(VersionCacheStore.Entry entry, ZoneId zone) {
        if (entry == null) {
            return Messages.VersionCache_Never();
        }
        String version;
        try {
            version = PostgresVersion.fromVersionNum(entry.versionNum()).toString();
        } catch (IllegalArgumentException e) {
            version = Integer.toString(entry.versionNum());
        }
        return Messages.VersionCache_Detected(version, WHEN.format(entry.detectedAt().atZone(zone)));
    }

    /** The cache's XmlFile in a Jenkins home; the first read carries over a cache in the old format. */
    static final class InJenkinsHome implements VersionCacheStore.Persistence {
        private final File home;

        InJenkinsHome(File home) {
            this.home = home;
        }

        @Override
        public List<VersionCacheStore.Entry> read() throws IOException {
            XmlFile file = new XmlFile(new File(home, FILE_NAME));
            if (file.exists()) {
                return ((StoredVersions) file.read()).entries();
            }
            Path legacy = new File(home, LEGACY_FILE_NAME).toPath();
            List<VersionCacheStore.Entry> carried = LegacyVersionCacheFile.read(legacy);
            if (!carried.isEmpty()) {
                write(carried);
            }
            Files.deleteIfExists(legacy);
            return carried;
        }

        @Override
        public void write(List<VersionCacheStore.Entry> entries) throws IOException {
            new XmlFile(new File(home, FILE_NAME)).write(new StoredVersions(entries));
        }

        @Override
        public String toString() {
            return new File(home, FILE_NAME).toString();
        }
    }
}
