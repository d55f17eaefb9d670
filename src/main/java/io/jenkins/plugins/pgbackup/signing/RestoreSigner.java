package io.jenkins.plugins.pgbackup.signing;

import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StoragePreflight;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * The controller's side of a restore or restore drill when the controller signs: it holds the keys, resolves and
 * checks the backup (by key, or the newest of a database, exactly as the catalog does for the agent otherwise), and
 * then signs GetObject for that backup and its globals only. A drill's record is written by it too, next to that
 * backup, after the agent returned; the agent never gets to write anything.
 *
 * <p>URLs live {@link #LIFETIME}: a GET needs a valid URL only when it starts (the download then runs to its end), and
 * the agent asks again for each pass once the URL it has is about to expire, so a short lifetime costs a round trip
 * per pass at most, while a URL that leaks reads one object for minutes. Not serializable: on a remote agent it is
 * reached through a remoting proxy of {@link RestoreGrant}.
 */
public final class RestoreSigner implements RestoreGrant, AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(RestoreSigner.class.getName());

    /** How long a presigned URL is valid. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);

    private final StorageSettings settings;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final RestoreTicket ticket;
    private final Duration lifetime;
    private volatile boolean closed;

    private RestoreSigner(StorageSettings settings, S3Client s3, RestoreTicket ticket, Duration lifetime) {
        this.settings = settings;
        this.s3 = s3;
        this.ticket = ticket;
        this.lifetime = lifetime;
        this.presigner = S3Clients.presigner(settings);
    }

    /**
     * Resolves the backup with the keys: the one at {@code key}, or the newest complete backup of {@code latestOf},
     * and its globals.
     *
     * @param settings the storage with its keys; they stay here
     * @throws StorageException when the storage cannot be read or there is no such backup, saying which
     */
    public static RestoreSigner resolve(StorageSettings settings, String key, String latestOf)
            throws StorageException, InterruptedException {
        return resolve(settings, key, latestOf, LIFETIME);
    }

    /** As {@link #resolve(StorageSettings, String, String)}, with URLs living {@code lifetime} (tests: seconds). */
    static RestoreSigner resolve(StorageSettings settings, String key, String latestOf, Duration lifetime)
            throws StorageException, InterruptedException {
        if ((key == null) == (latestOf == null)) {
            throw new IllegalArgumentException("Give a key or a database whose newest backup to read, not both");
        }
        new StoragePreflight(settings).checkReadable();
        S3Client s3 = S3Clients.create(settings);
        try {
            BackupCatalog catalog = new BackupCatalog(s3, settings);
            BackupObject backup = key != null ? catalog.head(key) : catalog.latest(latestOf).orElseThrow(
                    () -> new StorageException("There is no backup of database '" + latestOf + "' under "
                            + settings.location() + " (only complete backups written by PostgreSQL Backup count)"));
            BackupObject globals = null;
            String globalsProblem = null;
            try {
                globals = catalog.globals(backup.getKey()).orElse(null);
            } catch (StorageException e) {
                LOGGER.log(Level.FINE, "Cannot read the globals of " + backup.getKey(), e);
                globalsProblem = e.getMessage();
            }
            RestoreTicket ticket = new RestoreTicket(settings.getBucket(), latestOf, backup, globals, globalsProblem);
            return new RestoreSigner(settings, s3, ticket, lifetime);
        } catch (StorageException | InterruptedException | RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    /** What the agent is told about the backup: no key, no URL. */
    public RestoreTicket ticket() {
        return ticket;
    }

    @Override
    public SignedGet presign(String key) throws IOException {
        if (!ticket.covers(key)) {
            // Whatever asks here runs on the agent: it gets the one backup it was given, nothing else.
            throw new StorageException("Refused to sign a read of s3://" + ticket.bucket() + "/" + key + ": this "
                    + "step may read only " + ticket.backup().getKey() + " and its globals");
        }
        if (closed) {
            throw new StorageException("Refused to sign a read of s3://" + ticket.bucket() + "/" + key
                    + ": the step it was for has ended");
        }
        try {
            PresignedGetObjectRequest p = presigner.presignGetObject(r -> r.signatureDuration(lifetime)
                    .getObjectRequest(g -> g.bucket(ticket.bucket()).key(key)));
            return new SignedGet(key, p.url().toString(), p.expiration());
        } catch (SdkException e) {
            throw new StorageException("Signing a read of s3://" + ticket.bucket() + "/" + key + " failed: "
                    + e.getMessage());
        }
    }

    /**
     * Writes a restore drill's record ({@code <dump key>.verify.json}) next to the backup this signer was made for,
     * and nowhere else.
     *
     * @param dumpKey the backup the record is about, as the record names it
     * @return the record's key
     * @throws StorageException when the record is about another backup, or the write fails
     */
    public String writeVerifyRecord(String dumpKey, byte[] json) throws StorageException {
        if (!ticket.backup().getKey().equals(dumpKey)) {
            throw new StorageException("Refused to record a drill of s3://" + ticket.bucket() + "/" + dumpKey
                    + ": this step verified " + ticket.backup().getKey());
        }
        String key = BackupKeys.verifyRecordKey(dumpKey);
        try {
            s3.putObject(b -> b.bucket(ticket.bucket()).key(key).contentType("application/json"),
                    RequestBody.fromBytes(json));
        } catch (SdkException e) {
            throw new StorageException("Writing s3://" + ticket.bucket() + "/" + key + " failed: " + e.getMessage());
        }
        return key;
    }

    /** Ends the grant: later requests are refused. */
    @Override
    public void close() {
        closed = true;
        try {
            presigner.close();
        } finally {
            s3.close();
        }
    }

    @Override
    public String toString() {
        return "RestoreSigner[" + settings.location() + ", " + ticket.backup().getKey() + "]";
    }
}
