package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.restore.archive.CompressionAlgorithm;
import io.jenkins.plugins.pgbackup.tools.ClientTool;
import io.jenkins.plugins.pgbackup.tools.ToolKind;
import io.jenkins.plugins.pgbackup.tools.ToolResolver;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Finds the programs a restore runs: the client {@link ToolChoice} picks, its own psql, a decompressor. */
final class RestoreTools {
    private RestoreTools() {}

    /**
     * Chooses among the installed pg_restore (or psql, for plain scripts) programs.
     *
     * @throws RestoreException when none can restore this backup into this server, saying what to install
     */
    static ToolChoice<ClientCandidate> choose(ToolResolver resolver, BackupContent content, PostgresVersion target)
            throws RestoreException {
        ToolKind kind = content.isPlain() ? ToolKind.PSQL : ToolKind.PG_RESTORE;
        List<ClientCandidate> candidates = resolver.installed(kind).stream().map(ClientCandidate::new).toList();
        ToolChoice<ClientCandidate> choice = ToolChoice.choose(content.dump(), target, candidates);
        if (!choice.isPossible()) {
            throw new RestoreException(choice.explanation() + BackupTransfer.UNTOUCHED);
        }
        return choice;
    }

    /**
     * The psql of the same installation as the chosen pg_restore: it must read what that pg_restore writes
     * ({@code \restrict} included), so no other psql will do.
     */
    static ClientTool ownPsql(ToolResolver resolver, ClientTool pgRestore) throws RestoreException {
        Optional<ClientTool> psql = resolver.installed(ToolKind.PSQL).stream()
                .filter(t -> t.binDir().equals(pgRestore.binDir())).findFirst();
        return psql.orElseThrow(() -> new RestoreException(pgRestore + " restores into this server only through "
                + "its own psql (to filter out \"" + ScriptFilter.TRANSACTION_TIMEOUT + "\"), but " + pgRestore.binDir()
                + " has no working psql. Install the complete PostgreSQL " + pgRestore.version().majorLabel()
                + " client." + BackupTransfer.UNTOUCHED));
    }

    /**
     * The {@code zstd} or {@code lz4} program for a plain script compressed with it: psql reads plain text, and the JDK
     * decompresses only gzip. Looked for next to psql, then on the PATH.
     */
    static Path decompressor(CompressionAlgorithm algorithm, ClientTool psql, String path) throws RestoreException {
        String name = algorithm.id();
        List<Path> dirs = new ArrayList<>();
        dirs.add(psql.binDir());
        for (String entry : Objects.requireNonNullElse(path, "").split(File.pathSeparator)) {
            toPath(entry).ifPresent(dirs::add);
        }
        for (Path dir : dirs) {
            for (String file : List.of(name, name + ".exe")) {
                Path exe = dir.resolve(file);
                if (Files.isRegularFile(exe) && Files.isExecutable(exe)) {
                    return exe;
                }
            }
        }
        throw new RestoreException("The backup is a " + name + "-compressed plain SQL script: psql reads it only "
                + "decompressed, and there is no '" + name + "' program on this agent to do that (looked in "
                + psql.binDir() + " and on the PATH). Install " + name + " (Debian/Ubuntu: apt-get install " + name
                + "), or take backups in the custom format." + BackupTransfer.UNTOUCHED);
    }

    private static Optional<Path> toPath(String entry) {
        try {
            return entry.isBlank() ? Optional.empty() : Optional.of(Path.of(entry));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
