package io.jenkins.plugins.pgbackup.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the version cache as releases before the {@code XmlFile} one wrote it: a {@link Properties} XML file with
 * {@code N.server}, {@code N.num}, {@code N.text} and {@code N.at} per entry. Only read, once, to carry the entries
 * over.
 */
final class LegacyVersionCacheFile {

    private static final Logger LOGGER = Logger.getLogger(LegacyVersionCacheFile.class.getName());

    private LegacyVersionCacheFile() {}

    /** The entries; none when there is no file. A damaged entry is skipped and the others kept. */
    static List<VersionCacheStore.Entry> read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.loadFromXML(in);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<VersionCacheStore.Entry> entries = new ArrayList<>();
        for (int i = 0; p.containsKey(i + ".server"); i++) {
            try {
                // Integer.parseInt(null) throws NumberFormatException too: a missing value is damage like any other
                entries.add(new VersionCacheStore.Entry(p.getProperty(i + ".server"),
                        Integer.parseInt(p.getProperty(i + ".num")), p.getProperty(i + ".text", ""),
                        Long.parseLong(p.getProperty(i + ".at"))));
            } catch (NumberFormatException e) {
                LOGGER.log(Level.WARNING, "Ignoring a damaged entry {0} in {1}", new Object[] {i, file});
            }
        }
        return entries;
    }
}
