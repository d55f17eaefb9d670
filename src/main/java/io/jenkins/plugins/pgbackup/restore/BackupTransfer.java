package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.crypto.AgeDecryptionException;
import io.jenkins.plugins.pgbackup.dump.DirectoryTar;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.engine.ProgressLog;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveHeaderReader;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.BackupSource;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the backup and brings its content to the restore with size and SHA-256 checked before anything reaches the
 * target: a first pass that reads and checks everything (then the restore streams it again), or a download to a
 * temporary file or directory (parallel jobs need a seekable file, a directory dump a directory).
 */
final class BackupTransfer {
    /** What "nothing happened to the target" sounds like in every refusal here. */
    static final String UNTOUCHED = " Nothing was restored; the target database was not touched.";

    /** How the content reaches pg_restore or psql. */
    enum Mode {
        /** Checked in a first pass, then streamed again into stdin. */
        STREAM("streamed after a verification pass"),
        /** Downloaded (and checked) to a temporary file. */
        FILE("downloaded and verified"),
        /** A directory dump, unpacked (and checked) to a temporary directory. */
        DIRECTORY("downloaded, verified and unpacked");

        private final String description;

        Mode(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    /** What the transfer produced: the checked object, its first bytes, and where the content is when staged. */
    record Staged(BackupObject backup, Mode mode, byte[] head, Path path) {}

    private BackupTransfer() {}

    /**
     * The backup at the request's key, or the newest backup of its database.
     *
     * @throws RestoreException when there is none, or the object is not a complete backup of this plugin
     */
    static BackupObject find(BackupSource source, RestoreRequest request, EngineLog log)
            throws RestoreException, InterruptedException {
        try {
            if (request.getKey() != null) {
                return source.head(request.getKey());
            }
            Optional<BackupObject> latest = source.latest(request.getLatestOf());
            if (latest.isEmpty()) {
                throw new RestoreException("There is no backup of database '" + request.getLatestOf() + "' under "
                        + request.getStorage().location() + " (only complete backups written by PostgreSQL Backup "
                        + "count)." + UNTOUCHED);
            }
            log.info("Newest backup of " + request.getLatestOf() + ": " + latest.get());
            return latest.get();
        } catch (StorageException e) {
            throw new RestoreException(e.getMessage() + "." + UNTOUCHED, "", false, e);
        }
    }

    /**
     * Directory dumps unpack to a directory; other archives go to a file when parallel jobs need one; everything else
     * streams. Decided from the metadata and the key, before any content is read.
     */
    static Mode mode(BackupObject backup, int jobs) {
        String format = declaredFormat(backup);
        if (format.equals("directory")) {
            return Mode.DIRECTORY;
        }
        return jobs > 1 && format.equals("custom") ? Mode.FILE : Mode.STREAM;
    }

    /** The {@code dump-format} metadata, or what the key's extension says, or "" if neither says anything. */
    static String declaredFormat(BackupObject backup) {
        String f = backup.getMetadata().getDumpFormat();
        if (f != null && !f.isBlank()) {
            return f.trim().toLowerCase(Locale.ROOT);
        }
        String key = backup.getKey();
        if (key.endsWith(BackupKeys.AGE_SUFFIX)) {
            key = key.substring(0, key.length() - BackupKeys.AGE_SUFFIX.length());
        }
        if (key.endsWith(".dir.tar")) {
            return "directory";
        }
        return key.endsWith(".dump") ? "custom" : "";
    }

    /** Checks the backup, staging it under {@code work} if the mode needs it. */
    static Staged stage(BackupSource source, BackupObject backup, Mode mode, Path work, List<String> identities,
            EngineLog log) throws RestoreException, InterruptedException {
        String what = "s3://" + source.getBucket() + "/" + backup.getKey();
        try {
            return switch (mode) {
                case STREAM -> new Staged(backup, mode, verify(source, backup, identities, log), null);
                case FILE -> download(source, backup, work.resolve("backup.dump"), identities, log);
                case DIRECTORY -> extract(source, backup, work.resolve("backup.dir"), identities, log);
            };
        } catch (InterruptedIOException e) {
            throw interrupted(e);
        } catch (StorageException e) {
            throw new RestoreException(e.getMessage() + "." + UNTOUCHED, "", false, e);
        } catch (IOException e) {
            throw new RestoreException("Reading " + what + " failed: " + e.getMessage() + "." + UNTOUCHED, "", false,
                    e);
        }
    }

    private static byte[] verify(BackupSource source, BackupObject backup, List<String> identities, EngineLog log)
            throws IOException {
        log.info("Verifying " + describe(source, backup) + " before the restore (first pass)");
        ProgressLog progress = new ProgressLog(log, "Verified");
        try (TransferStream in = open(source, backup, identities, progress)) {
            in.transferTo(OutputStream.nullOutputStream());
            progress.finish();
            return in.head();
        }
    }

    private static Staged download(BackupSource source, BackupObject backup, Path file, List<String> identities,
            EngineLog log) throws IOException {
        log.info("Downloading " + describe(source, backup) + " to a temporary file (parallel jobs need one)");
        ProgressLog progress = new ProgressLog(log, "Downloaded");
        try (TransferStream in = open(source, backup, identities, progress)) {
            Files.copy(in, file);
            progress.finish();
            return new Staged(backup, Mode.FILE, in.head(), file);
        }
    }

    /**
     * Unpacks the tar of a directory dump while it downloads, then reads on to the end of the object, where size and
     * SHA-256 are checked: a damaged object is reported as such even when the tar broke first.
     */
    private static Staged extract(BackupSource source, BackupObject backup, Path dir, List<String> identities,
            EngineLog log) throws IOException {
        log.info("Downloading " + describe(source, backup) + " and unpacking the directory dump");
        ProgressLog progress = new ProgressLog(log, "Downloaded");
        try (TransferStream in = open(source, backup, identities, progress)) {
            IOException broken = null;
            try {
                DirectoryTar.extract(in, dir);
            } catch (AgeDecryptionException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                broken = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            in.transferTo(OutputStream.nullOutputStream());
            if (broken != null) {
                throw new IOException("the directory dump it holds cannot be unpacked (" + broken.getMessage() + ")",
                        broken);
            }
            progress.finish();
            return new Staged(backup, Mode.DIRECTORY, in.head(), dir);
        }
    }

    /** The content again, for the restore itself: the same object (If-Match its ETag), the end held back. */
    static InputStream secondPass(BackupSource source, BackupObject backup, List<String> identities, EngineLog log)
            throws IOException {
        return new HoldBackInputStream(open(source, backup, identities, new ProgressLog(log, "Restored")));
    }

    /** The dump's bytes: checked as stored, decrypted when encrypted; the head kept is the dump's. */
    private static TransferStream open(BackupSource source, BackupObject backup, List<String> identities,
            ProgressLog progress) throws IOException {
        InputStream stored = source.openStream(backup);
        try {
            return new TransferStream(Decryption.content(stored, backup, identities), progress,
                    ArchiveHeaderReader.MAX_HEADER_BYTES);
        } catch (IOException | RuntimeException e) {
            stored.close();
            throw e;
        }
    }

    private static String describe(BackupSource source, BackupObject backup) {
        BackupMetadata m = backup.getMetadata();
        return "s3://" + source.getBucket() + "/" + backup.getKey() + " (" + m.getSize() + " bytes, database "
                + m.getDatabase() + ", taken " + m.getTimestampText() + ")";
    }

    /** An interrupt seen as an I/O error, thrown again as what it is (the interrupt status is cleared, as usual). */
    static InterruptedException interrupted(InterruptedIOException e) {
        Thread.interrupted();
        InterruptedException ie = new InterruptedException("the restore was interrupted while reading the backup");
        ie.initCause(e);
        return ie;
    }
}
