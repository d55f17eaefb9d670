package io.jenkins.plugins.pgbackup.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/** The engine's temporary files: a directory dump, a staged restore, an unpacked drill. */
public final class WorkFiles {
    private static final Logger LOGGER = Logger.getLogger(WorkFiles.class.getName());

    private WorkFiles() {}

    /**
     * Deletes a directory and everything in it, as far as it can; never throws, since a file left behind is worth a
     * warning, not the backup's or restore's result.
     *
     * @return whether nothing of it is left
     */
    public static boolean deleteTree(Path root) {
        AtomicBoolean all = new AtomicBoolean(true);
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    all.set(false);
                    LOGGER.log(Level.WARNING, "Could not delete " + p, e);
                }
            });
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not delete " + root, e);
            return !Files.exists(root);
        }
        return all.get();
    }
}
