package io.jenkins.plugins.pgbackup.process;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts the external programs the engine runs: where they run, and how their streams reach this JVM. The default,
 * {@link #local()}, starts them in this JVM's machine with {@link ProcessBuilder}; a build step inside a container
 * hands the engine one that starts them in that container instead. {@link ProcessRunner} does the rest (timeouts,
 * stream threads, stopping) alike for both.
 */
public interface ProcessStarter {

    /**
     * Starts one program.
     *
     * @throws IOException if it cannot start
     */
    StartedProcess start(ProcessSpec spec) throws IOException;

    /**
     * Whether the programs run on this machine, seeing its file system and {@code PATH}: tool resolution then scans
     * this machine's directories.
     */
    default boolean isLocal() {
        return true;
    }

    /**
     * A directory for files the programs must read or write (a directory-format dump, a staged restore), seen at the
     * same path by this JVM and by the programs; {@code null} for this JVM's temporary directory.
     */
    default Path sharedDirectory() {
        return null;
    }

    /** This machine's own {@link ProcessBuilder}. */
    static ProcessStarter local() {
        return LocalProcessStarter.INSTANCE;
    }
}
