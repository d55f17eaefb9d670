package io.jenkins.plugins.pgbackup.config;

import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import java.io.File;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import jenkins.model.Jenkins;

/**
 * The controller's PostgreSQL version cache, in {@code JENKINS_HOME/io.jenkins.plugins.pgbackup.VersionCache.xml}.
 * Backups on agents receive the entry for their server and report what they detected back here.
 */
@Extension
public final class ControllerVersionCache {

    static final String FILE_NAME = "io.jenkins.plugins.pgbackup.VersionCache.xml";
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private VersionCacheStore store;

    public static ControllerVersionCache get() {
        return ExtensionList.lookupSingleton(ControllerVersionCache.class);
    }

    /** Read lazily: extensions are created before every plugin is ready. */
    public synchronized VersionCacheStore store() {
        if (store == null) {
            store = new VersionCacheStore(new File(Jenkins.get().getRootDir(), FILE_NAME).toPath());
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
}
