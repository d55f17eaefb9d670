package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
import io.jenkins.plugins.pgbackup.crypto.AgeStreams;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Encrypted backups on the restore side: refuses, before anything is read or touched, a restore that has no identity
 * or none that the backup was written for, and turns the stored (verified) bytes back into the dump, so that the
 * archive header check, the choice of client and the guardrails all see the dump itself.
 */
final class Decryption {
    private Decryption() {}

    /** Whether the stored bytes are an age file: the metadata says so (or, for safety, the key's suffix). */
    static boolean isEncrypted(BackupObject backup) {
        return backup.getMetadata().isEncrypted() || backup.getKey().endsWith(BackupKeys.AGE_SUFFIX);
    }

    /**
     * @throws RestoreException when the backup is encrypted and no identity was given, when no identity matches the
     *     recipients the metadata names, or when parallel jobs would need the dump as a plain file on disk
     */
    static void check(RestoreRequest request, BackupObject backup, String declaredFormat, EngineLog log)
            throws RestoreException {
        List<String> identities = request.getAgeIdentities();
        if (!isEncrypted(backup)) {
            if (!identities.isEmpty()) {
                log.info("The backup is not encrypted: the age identity is not needed");
            }
            return;
        }
        List<String> mine = requireIdentity(backup, identities, "backup");
        String written = written(backup);
        if (request.getJobs() > 1 && !declaredFormat.equals("directory")) {
            throw new RestoreException("The backup " + backup.getKey() + " is encrypted: parallel jobs would need it "
                    + "decrypted into a file on disk, which an encrypted backup never is. Restore it with jobs: 1 "
                    + "(streamed, decrypted in memory), or back up in the directory format for parallel restores."
                    + BackupTransfer.UNTOUCHED);
        }
        log.info("The backup is encrypted with age" + written + "; decrypting it with the identity of fingerprint "
                + String.join(", ", mine) + " as it is read");
    }

    /**
     * Refuses an encrypted object ({@code what}: "backup", "globals") without an identity, or without one of its
     * recipients' identities, before any of it is read.
     *
     * @return the fingerprints of the identities given
     */
    static List<String> requireIdentity(BackupObject object, List<String> identities, String what)
            throws RestoreException {
        String written = written(object);
        if (identities.isEmpty()) {
            throw new RestoreException("The " + what + " " + object.getKey() + " " + verb(what) + " encrypted with age"
                    + written + ": give the identity of one of its recipients (a Secret text credential holding "
                    + "AGE-SECRET-KEY-1..., ageIdentityCredentialsId)." + BackupTransfer.UNTOUCHED);
        }
        List<String> mine = identities.stream().map(i -> AgeKeys.fingerprint(AgeKeys.recipientOf(i))).toList();
        String recipients = object.getMetadata().getRecipients();
        if (!written.isEmpty() && mine.stream().noneMatch(Arrays.asList(recipients.split(","))::contains)) {
            throw new RestoreException("The " + what + " " + object.getKey() + " " + verb(what) + " encrypted with age "
                    + "for other keys" + written + " than the identity given (fingerprint " + String.join(", ", mine)
                    + "): use the identity of one of its recipients." + BackupTransfer.UNTOUCHED);
        }
        return mine;
    }

    private static String verb(String what) {
        return what.endsWith("s") ? "are" : "is";
    }

    /** " (recipients' fingerprints …)", or empty when the metadata names none. */
    private static String written(BackupObject object) {
        String recipients = object.getMetadata().getRecipients();
        return recipients == null || recipients.isBlank() ? "" : " (recipients' fingerprints " + recipients + ")";
    }

    /** The dump in the stored bytes: decrypted when the backup is encrypted, else the bytes as they are. */
    static InputStream content(InputStream stored, BackupObject backup, List<String> identities)
            throws IOException {
        if (!isEncrypted(backup)) {
            return stored;
        }
        return new DrainingInputStream(AgeStreams.decrypt(stored, identities), stored);
    }

    /**
     * At the end of the plain content, reads the stored stream to its very end too, so the size and SHA-256 checks
     * there always run.
     */
    private static final class DrainingInputStream extends FilterInputStream {
        private final InputStream stored;

        DrainingInputStream(InputStream plain, InputStream stored) {
            super(plain);
            this.stored = stored;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                stored.transferTo(OutputStream.nullOutputStream());
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                stored.transferTo(OutputStream.nullOutputStream());
            }
            return n;
        }
    }
}
