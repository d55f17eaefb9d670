package io.jenkins.plugins.pgbackup.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The version cache's file content, as Jenkins' {@code XmlFile} (XStream) writes it: plain fields only, so the file
 * reads back whatever the JDK's record support in XStream is.
 */
final class StoredVersions {

    /** One entry. */
    static final class Version {
        private final String server;
        private final int num;
        private final String text;
        private final long detectedAt;

        Version(VersionCacheStore.Entry e) {
            this.server = e.serverKey();
            this.num = e.versionNum();
            this.text = e.versionText();
            this.detectedAt = e.detectedAtMillis();
        }

        VersionCacheStore.Entry toEntry() {
            return new VersionCacheStore.Entry(server, num, text == null ? "" : text, detectedAt);
        }
    }

    private final List<Version> versions;

    StoredVersions(List<VersionCacheStore.Entry> entries) {
        this.versions = new ArrayList<>();
        for (VersionCacheStore.Entry e : entries) {
            versions.add(new Version(e));
        }
    }

    /** The entries; one without a server (a hand-edited file) is left out. */
    List<VersionCacheStore.Entry> entries() {
        List<VersionCacheStore.Entry> out = new ArrayList<>();
        if (versions != null) {
            for (Version v : versions) {
                if (v != null && v.server != null) {
                    out.add(v.toEntry());
                }
            }
        }
        return out;
    }
}
