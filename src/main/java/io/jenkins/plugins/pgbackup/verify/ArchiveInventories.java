package io.jenkins.plugins.pgbackup.verify;

import io.jenkins.plugins.pgbackup.crypto.AgeStreams;
import io.jenkins.plugins.pgbackup.dump.DirectoryTar;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.engine.ToolSetup;
import io.jenkins.plugins.pgbackup.engine.WorkFiles;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.BackupSource;
import io.jenkins.plugins.pgbackup.tools.ClientTool;
import io.jenkins.plugins.pgbackup.tools.ToolKind;
import io.jenkins.plugins.pgbackup.tools.ToolResolver;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads what a backup holds (its tables and their rows) in a pass of its own, before anything is restored: an
 * archive through {@code pg_restore --file=-} (no database involved), a directory dump the same way once its tar is
 * unpacked into a private temporary directory, a plain script as it is. An age-encrypted backup is decrypted in memory
 * as it streams, as the restore reads it. The backup's size and SHA-256 are checked
 * again at the end of the pass.
 */
final class ArchiveInventories {
    private static final int BUFFER = 64 * 1024;

    private ArchiveInventories() {}

    /** The inventory, or why the backup's tables are not compared (never both). */
    record Inventory(ScriptInventory tables, String notChecked) {}

    /**
     * @param identities the age identities that decrypt an encrypted backup (the restore's)
     * @param workParent where the directory dump is unpacked (created if missing); {@code null}: the temp dir
     */
    static Inventory read(BackupSource source, BackupObject backup, List<String> identities, ToolSetup setup,
            Path workParent, EngineLog log) throws IOException, InterruptedException {
        String format = String.valueOf(backup.getMetadata().getDumpFormat());
        Stored stored = new Stored(source, backup, identities);
        // The dump's own name: an encrypted backup's key ends with .age after the dump's extension.
        String key = encrypted(backup) && backup.getKey().endsWith(BackupKeys.AGE_SUFFIX)
                ? backup.getKey().substring(0, backup.getKey().length() - BackupKeys.AGE_SUFFIX.length())
                : backup.getKey();
        switch (format) {
            case "custom", "tar" -> {
                return new Inventory(viaPgRestore(stored, format, setup, log), null);
            }
            case "directory" -> {
                return new Inventory(directory(stored, setup, workParent, log), null);
            }
            case "plain" -> {
                if (key.endsWith(".sql")) {
                    return new Inventory(plain(stored, false), null);
                }
                if (key.endsWith(".sql.gz")) {
                    return new Inventory(plain(stored, true), null);
                }
                for (String program : List.of("zstd", "lz4")) {
                    if (key.endsWith(".sql." + (program.equals("zstd") ? "zst" : program))) {
                        return decompressed(stored, program, setup, log);
                    }
                }
                return new Inventory(null, "not checked for this plain script's compression (only the restore "
                        + "itself was checked)");
            }
            default -> {
                return new Inventory(null, "not checked for the " + format + " format (only the restore itself was "
                        + "checked)");
            }
        }
    }

    /** The backup as stored, and the identities that decrypt it (secret: never in its string form). */
    private record Stored(BackupSource source, BackupObject backup, List<String> identities) {
        @Override
        public String toString() {
            return "Stored[" + backup.getKey() + "]";
        }
    }

    /** Whether the stored bytes are an age file: the metadata says so (or, for safety, the key's suffix). */
    private static boolean encrypted(BackupObject backup) {
        return backup.getMetadata().isEncrypted() || backup.getKey().endsWith(BackupKeys.AGE_SUFFIX);
    }

    /**
     * Hands the dump to {@code reader}: the stored bytes, decrypted as they stream when the backup is encrypted; then
     * reads the stored bytes to their end, where their size and SHA-256 are checked (gzip's trailer or age's last
     * chunk may leave some unread).
     */
    private static <T> T readDump(Stored stored, DumpReader<T> reader) throws IOException {
        try (InputStream raw = stored.source().openStream(stored.backup())) {
            InputStream dump = encrypted(stored.backup()) ? AgeStreams.decrypt(raw, stored.identities()) : raw;
            T read = reader.read(dump);
            dump.transferTo(OutputStream.nullOutputStream());
            raw.transferTo(OutputStream.nullOutputStream());
            return read;
        }
    }

    @FunctionalInterface
    private interface DumpReader<T> {
        T read(InputStream dump) throws IOException;
    }

    private static ScriptInventory plain(Stored stored, boolean gzip) throws IOException {
        return readDump(stored, dump -> ScriptInventory.read(gzip ? new GZIPInputStream(dump, BUFFER) : dump));
    }

    /** A zstd- or lz4-compressed plain script, through that program (the JDK reads only gzip). */
    private static Inventory decompressed(Stored stored, String program, ToolSetup setup, EngineLog log)
            throws IOException, InterruptedException {
        // Where the clients run elsewhere (a container), the program is found there, on its PATH.
        Optional<Path> exe = setup.starter().isLocal() ? findProgram(program, setup) : Optional.of(Path.of(program));
        if (exe.isEmpty()) {
            return new Inventory(null, "not checked: there is no '" + program + "' program on this machine to read "
                    + "the " + program + "-compressed plain script with");
        }
        log.info("Reading the backup's tables through " + exe.get() + " -d");
        return new Inventory(script(List.of(exe.get().toString(), "-d", "-c", "-q"), program, stored, setup), null);
    }

    /** Next to the pg_restore programs, then on the PATH. */
    private static Optional<Path> findProgram(String name, ToolSetup setup) {
        List<Path> dirs = new ArrayList<>();
        pgRestores(setup).forEach(t -> dirs.add(t.binDir()));
        for (String entry : Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        return dirs.stream().map(d -> d.resolve(name)).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    /** Runs a program with the dump on its stdin and reads the script it writes. */
    private static ScriptInventory script(List<String> command, String name, Stored stored, ToolSetup setup)
            throws IOException, InterruptedException {
        ScriptInventory[] read = new ScriptInventory[1];
        ProcessResult r = ProcessRunner.of(command)
                .name(name)
                .timeout(setup.getTimeout())
                .starter(setup.starter())
                .stdin(out -> readDump(stored, dump -> dump.transferTo(out)))
                .stdout(in -> read[0] = ScriptInventory.read(in))
                .run();
        if (!r.succeeded()) {
            throw new IOException(name + " could not read the backup: " + r.describeFailure());
        }
        return read[0];
    }

    private static ScriptInventory viaPgRestore(Stored stored, String format, ToolSetup setup, EngineLog log)
            throws IOException, InterruptedException {
        ClientTool pgRestore = newest(pgRestores(setup));
        log.info("Reading the backup's table of contents and data with pg_restore " + pgRestore.version()
                + " (--file=-, no database)");
        return script(List.of(pgRestore.executable().toString(), "--format=" + format, "--file=-"),
                "pg_restore " + pgRestore.version(), stored, setup);
    }

    /** The pg_restore programs where the clients run: this machine, or the block's container. */
    private static List<ClientTool> pgRestores(ToolSetup setup) {
        return new ToolResolver(setup.toolLocations(), setup.starter()).installed(ToolKind.PG_RESTORE);
    }

    /**
     * A directory dump (stored as a tar of the directory): unpacked, then read by {@code pg_restore} from there, as
     * it cannot read a directory from its stdin. The object is read to its end, where size and SHA-256 are checked,
     * and the directory is deleted in every case. Where the clients run in a container, it is unpacked under the
     * directory both sides see.
     */
    private static ScriptInventory directory(Stored stored, ToolSetup setup, Path workParent, EngineLog log)
            throws IOException, InterruptedException {
        ClientTool pgRestore = newest(pgRestores(setup));
        Path shared = setup.starter().sharedDirectory();
        Path dir = workDirectory(shared != null ? shared : workParent);
        try {
            readDump(stored, dump -> {
                DirectoryTar.extract(dump, dir);
                return dir;
            });
            log.info("Reading the backup's table of contents and data with pg_restore " + pgRestore.version()
                    + " (--format=directory --file=-, no database)");
            ScriptInventory[] read = new ScriptInventory[1];
            String name = "pg_restore " + pgRestore.version();
            ProcessResult r = ProcessRunner.of(List.of(pgRestore.executable().toString(), "--format=directory",
                            "--file=-", dir.toString()))
                    .name(name)
                    .timeout(setup.getTimeout())
                    .starter(setup.starter())
                    .stdout(out -> read[0] = ScriptInventory.read(out))
                    .run();
            if (!r.succeeded()) {
                throw new IOException(name + " could not read the backup: " + r.describeFailure());
            }
            return read[0];
        } finally {
            if (!WorkFiles.deleteTree(dir)) {
                log.warn("Could not delete all of the unpacked directory dump " + dir + " (the system log says why)");
            }
        }
    }

    private static Path workDirectory(Path parent) throws IOException {
        if (parent == null) {
            return Files.createTempDirectory("pgbackup-verify-");
        }
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "pgbackup-verify-");
    }


    private static ClientTool newest(List<ClientTool> installed) throws IOException {
        return installed.stream().max(Comparator.comparing(ClientTool::version)).orElseThrow(
                () -> new IOException("no pg_restore on this machine to read the backup's table of contents"));
    }
}
