package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.restore.archive.CompressionAlgorithm;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.BackupSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The second pass over a streamed backup, as the stdin of pg_restore, psql or a decompressor. Each source reads the
 * object to its very end, where its size and SHA-256 are checked again; the end is held back until then.
 */
final class BackupInput {
    private static final int BUFFER = 64 * 1024;

    private final BackupSource source;
    private final BackupObject backup;
    private final EngineLog log;
    private final List<String> identities;

    BackupInput(BackupSource source, BackupObject backup, List<String> identities, EngineLog log) {
        this.source = source;
        this.backup = backup;
        this.identities = identities;
        this.log = log;
    }

    /** The stored bytes as they are: an archive for pg_restore, compressed data for a decompressor. */
    ProcessRunner.StdinSource raw() {
        return out -> {
            try (InputStream in = BackupTransfer.secondPass(source, backup, identities, log)) {
                in.transferTo(out);
            }
        };
    }

    /** A plain script for psql: gunzipped if it is gzip-compressed, then filtered. */
    ProcessRunner.StdinSource script(CompressionAlgorithm compression, ScriptFilter filter) {
        return out -> {
            try (InputStream in = BackupTransfer.secondPass(source, backup, identities, log)) {
                InputStream text = compression == CompressionAlgorithm.GZIP ? new GZIPInputStream(in, BUFFER) : in;
                copy(text, out, filter);
                // gzip may stop at its trailer: the check at the object's end must still run.
                in.transferTo(OutputStream.nullOutputStream());
            }
        };
    }

    private static void copy(InputStream in, OutputStream out, ScriptFilter filter) throws java.io.IOException {
        if (filter.isActive()) {
            filter.copy(in, out);
        } else {
            in.transferTo(out);
        }
    }
}
