package io.jenkins.plugins.pgbackup.verify;

import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.engine.ToolSetup;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
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
 * archive through {@code pg_restore --file=-} (no database involved), a plain script as it is. The backup's size and
 * SHA-256 are checked again at the end of the pass.
 */
final class ArchiveInventories {
    private static final int BUFFER = 64 * 1024;

    private ArchiveInventories() {}

    /** The inventory, or why the backup's tables are not compared (never both). */
    record Inventory(ScriptInventory tables, String notChecked) {}

    static Inventory read(BackupCatalog catalog, BackupObject backup, ToolSetup setup, EngineLog log)
            throws IOException, InterruptedException {
        String format = String.valueOf(backup.getMetadata().getDumpFormat());
        String key = backup.getKey();
        switch (format) {
            case "custom", "tar" -> {
                return new Inventory(viaPgRestore(catalog, backup, format, setup, log), null);
            }
            case "plain" -> {
                if (key.endsWith(".sql")) {
                    return new Inventory(plain(catalog, backup, false), null);
                }
                if (key.endsWith(".sql.gz")) {
                    return new Inventory(plain(catalog, backup, true), null);
                }
                for (String program : List.of("zstd", "lz4")) {
                    if (key.endsWith(".sql." + (program.equals("zstd") ? "zst" : program))) {
                        return decompressed(catalog, backup, program, setup, log);
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

    private static ScriptInventory plain(BackupCatalog catalog, BackupObject backup, boolean gzip)
            throws IOException {
        try (InputStream in = catalog.openStream(backup)) {
            InputStream text = gzip ? new GZIPInputStream(in, BUFFER) : in;
            ScriptInventory inventory = ScriptInventory.read(text);
            // The size and SHA-256 are checked at the object's end, which gzip's trailer may leave unread.
            in.transferTo(OutputStream.nullOutputStream());
            return inventory;
        }
    }

    /** A zstd- or lz4-compressed plain script, through that program (the JDK reads only gzip). */
    private static Inventory decompressed(BackupCatalog catalog, BackupObject backup, String program,
            ToolSetup setup, EngineLog log) throws IOException, InterruptedException {
        // Where the clients run elsewhere (a container), the program is found there, on its PATH.
        Optional<Path> exe = setup.starter().isLocal() ? findProgram(program, setup)
                : Optional.of(Path.of(program));
        if (exe.isEmpty()) {
            return new Inventory(null, "not checked: there is no '" + program + "' program on this machine to read "
                    + "the " + program + "-compressed plain script with");
        }
        log.info("Reading the backup's tables through " + exe.get() + " -d");
        return new Inventory(script(List.of(exe.get().toString(), "-d", "-c", "-q"), program, catalog, backup,
                setup), null);
    }

    /** Next to the pg_restore programs, then on the PATH. */
    private static Optional<Path> findProgram(String name, ToolSetup setup) {
        List<Path> dirs = new ArrayList<>();
        new ToolResolver(setup.toolLocations(), setup.starter()).installed(ToolKind.PG_RESTORE).forEach(t -> dirs.add(t.binDir()));
        for (String entry : Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        return dirs.stream().map(d -> d.resolve(name)).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    /** Runs a program with the backup on its stdin and reads the script it writes. */
    private static ScriptInventory script(List<String> command, String name, BackupCatalog catalog,
            BackupObject backup, ToolSetup setup) throws IOException, InterruptedException {
        ScriptInventory[] read = new ScriptInventory[1];
        ProcessResult r = ProcessRunner.of(command)
                .name(name)
                .timeout(setup.getTimeout())
                .starter(setup.starter())
                .stdin(out -> {
                    try (InputStream in = catalog.openStream(backup)) {
                        in.transferTo(out);
                    }
                })
                .stdout(in -> read[0] = ScriptInventory.read(in))
                .run();
        if (!r.succeeded()) {
            throw new IOException(name + " could not read the backup: " + r.describeFailure());
        }
        return read[0];
    }

    private static ScriptInventory viaPgRestore(BackupCatalog catalog, BackupObject backup, String format,
            ToolSetup setup, EngineLog log) throws IOException, InterruptedException {
        ClientTool pgRestore = newest(new ToolResolver(setup.toolLocations(), setup.starter())
                .installed(ToolKind.PG_RESTORE));
        log.info("Reading the backup's table of contents and data with pg_restore " + pgRestore.version()
                + " (--file=-, no database)");
        return script(List.of(pgRestore.executable().toString(), "--format=" + format, "--file=-"),
                "pg_restore " + pgRestore.version(), catalog, backup, setup);
    }

    private static ClientTool newest(List<ClientTool> installed) throws IOException {
        return installed.stream().max(Comparator.comparing(ClientTool::version)).orElseThrow(
                () -> new IOException("no pg_restore on this machine to read the backup's table of contents"));
    }
}
