package io.jenkins.plugins.pgbackup.signing;

import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.ManifestStore;
import io.jenkins.plugins.pgbackup.storage.ObjectHead;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.S3Errors;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StoragePreflight;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
import io.jenkins.plugins.pgbackup.storage.UploadedPart;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;

/**
 * The controller's side of one backup when the controller keeps the storage keys: the only holder of an S3 client and
 * a presigner for it. Bound to one database under the target's prefix, it does for the agent exactly what that
 * backup's upload needs and nothing else: it claims new keys of that database after checking they are free, creates
 * their multipart uploads, presigns UploadPart URLs for those uploads, completes them, checks and writes manifests,
 * and aborts or deletes only what it created. It never lists, reads or deletes anything else on the agent's behalf.
 *
 * <p>Presigned URLs live {@link #URL_LIFETIME}: long enough for a batch of parts over a slow link (an agent asks for
 * a fresh one when a URL expired), short enough that a URL copied out of a build is soon worthless. By construction
 * of SigV4 a URL is valid for its method, key, upload id and part number only, and it dies with its upload: after
 * the upload is completed or aborted, none of its URLs can change anything.
 *
 * <p>{@link #finish()} ends the grant: whatever the agent left (it died, the build was aborted, the channel closed)
 * is aborted or deleted, and the clients are closed.
 */
public final class BackupSigner implements BackupGrant, AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(BackupSigner.class.getName());

    /** How long a presigned part URL is valid. */
    public static final Duration URL_LIFETIME = Duration.ofMinutes(15);
    /**
     * The most keys one backup claims: its dump and globals, again when pg_dump refused the server's version and the
     * backup starts over under a new timestamp, with room to spare.
     */
    static final int MAX_KEYS = 8;
    /** The deadline of each request of {@link #finish()}. */
    static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);
    /** The most {@link #finish()} waits for its cleanup. */
    static final Duration FINISH_BUDGET = Duration.ofMinutes(2);

    private final StorageSettings settings;
    private final String database;
    private final String folder;
    private final Duration urlLifetime;
    private final S3Client s3;
    private final S3Presigner presigner;
    /** Keys checked free for this backup. */
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    /** Open uploads this grant created: upload id to key. */
    private final Map<String, String> open = new ConcurrentHashMap<>();
    /** Uploads this grant created that were completed or aborted since: upload id to key. */
    private final Map<String, String> ended = new ConcurrentHashMap<>();
    /** Keys whose upload this grant completed (or asked to complete: the answer may have been lost). */
    private final Set<String> objects = ConcurrentHashMap.newKeySet();
    /** Keys whose manifest this grant wrote (or began to). */
    private final Set<String> manifests = ConcurrentHashMap.newKeySet();
    private volatile boolean finished;

    /**
     * @param settings the target's settings with its keys
     * @param database the database this backup is of: only its keys are granted
     */
    public BackupSigner(StorageSettings settings, String database) {
        this(settings, database, URL_LIFETIME);
    }

    BackupSigner(StorageSettings settings, String database, Duration urlLifetime) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.database = Objects.requireNonNull(database, "database");
        this.folder = BackupKeys.databasePrefix(settings.getPrefix(), database);
        this.urlLifetime = urlLifetime;
        this.s3 = S3Clients.create(settings);
        this.presigner = S3Clients.presigner(settings);
    }

    /** The settings the agent gets: the same place without the keys. */
    public StorageSettings agentSettings() {
        return settings.withoutKeys();
    }

    @Override
    public void checkWritable() throws IOException, InterruptedException {
        requireActive();
        new StoragePreflight(settings).checkWritable();
    }

    @Override
    public void requireAbsent(String key) throws IOException {
        requireActive();
        if (!isNewKeyOfDatabase(key)) {
            throw refused("is not a backup key of " + database + " under " + settings.location(), key);
        }
        if (!claimed.contains(key) && claimed.size() >= MAX_KEYS) {
            throw refused("is one key too many: this backup may write no more keys (" + MAX_KEYS + ")", key);
        }
        try {
            s3.headObject(b -> b.bucket(bucket()).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                claimed.add(key);
                return;
            }
            throw failed("Cannot check " + location(key) + " before uploading", e);
        }
        throw new StorageException("An object already exists at " + location(key) + "; refusing to overwrite it");
    }

    @Override
    public String createUpload(String key, BackupMetadata metadata) throws IOException {
        requireActive();
        if (!claimed.contains(key) || objects.contains(key) || open.containsValue(key)) {
            throw refused("was not checked free for this backup, or is already being uploaded", key);
        }
        if (!database.equals(metadata.getDatabase())) {
            throw refused("would carry the metadata of database " + metadata.getDatabase() + ", not " + database,
                    key);
        }
        String id;
        try {
            id = s3.createMultipartUpload(b -> b.bucket(bucket()).key(key).contentType(StreamingUploader.CONTENT_TYPE)
                    .metadata(metadata.toUserMetadata())).uploadId();
        } catch (SdkException e) {
            throw failed("Starting the upload of " + location(key) + " failed", e);
        }
        open.put(id, key);
        LOGGER.fine(() -> "Granted the upload " + id + " of " + location(key));
        return id;
    }

    @Override
    public List<PartUrl> partUrls(String key, String uploadId, int first, int count) throws IOException {
        requireActive();
        requireOpen(key, uploadId);
        if (count < 1 || count > MAX_URLS_PER_CALL || first < 1 || first + count - 1 > StreamingUploader.MAX_PARTS) {
            throw refused("has no parts " + first + " to " + (first + count - 1) + " (1 to "
                    + StreamingUploader.MAX_PARTS + ", at most " + MAX_URLS_PER_CALL + " at once)", key);
        }
        List<PartUrl> urls = new ArrayList<>(count);
        for (int n = first; n < first + count; n++) {
            int part = n;
            PresignedUploadPartRequest p = presigner.presignUploadPart(r -> r.signatureDuration(urlLifetime)
                    .uploadPartRequest(u -> u.bucket(bucket()).key(key).uploadId(uploadId).partNumber(part)));
            urls.add(new PartUrl(part, p.url().toString(), headersToSend(p.signedHeaders()), p.expiration()));
        }
        return urls;
    }

    /** The signed headers the agent must send itself; its HTTP client sets {@code Host} from the URL. */
    private static Map<String, String> headersToSend(Map<String, List<String>> signed) {
        Map<String, String> out = new java.util.HashMap<>();
        signed.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                out.put(name, String.join(",", values));
            }
        });
        return out;
    }

    @Override
    public void complete(String key, String uploadId, List<UploadedPart> parts) throws IOException {
        requireActive();
        requireOpen(key, uploadId);
        List<CompletedPart> completed = new ArrayList<>(parts.size());
        for (UploadedPart p : parts) {
            completed.add(CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).build());
        }
        objects.add(key);
        try {
            s3.completeMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (SdkException e) {
            throw failed("Completing the upload of " + location(key) + " failed", e);
        }
        end(uploadId);
    }

    @Override
    public ObjectHead head(String key) throws IOException {
        requireActive();
        if (!objects.contains(key)) {
            throw refused("was not uploaded by this backup", key);
        }
        return headOf(key);
    }

    private ObjectHead headOf(String key) throws StorageException {
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket()).key(key));
        } catch (SdkException e) {
            throw failed("Checking " + location(key) + " after the upload failed", e);
        }
        return new ObjectHead(head.contentLength(), head.metadata(), head.eTag());
    }

    @Override
    public String writeManifest(BackupManifest manifest) throws IOException {
        requireActive();
        String key = manifest.getKey();
        if (!objects.contains(key)) {
            throw refused("was not uploaded by this backup: no manifest for it", key);
        }
        ObjectHead head = headOf(key);
        if (head.size() != manifest.getSize()
                || !Objects.equals(BackupManifest.normalizeETag(head.eTag()), manifest.getETag())
                || !BackupMetadata.fromUserMetadata(manifest.getMetadata().toUserMetadata())
                        .equals(BackupMetadata.fromUserMetadata(head.metadata()))) {
            throw new StorageException("The manifest of " + location(key) + " does not describe the stored object ("
                    + head.size() + " bytes, ETag " + head.eTag() + "); not written");
        }
        manifests.add(key);
        return new ManifestStore(s3, bucket()).write(manifest);
    }

    @Override
    public boolean abort(String key, String uploadId, Duration timeout) throws IOException {
        if (key.equals(ended.get(uploadId))) {
            return false; // as S3 answers for an upload completed or aborted: no such upload
        }
        requireOpen(key, uploadId);
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(uploadId)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw failed("Aborting the upload " + uploadId + " of " + location(key) + " failed", e);
            }
            end(uploadId);
            return false;
        }
        end(uploadId);
        return true;
    }

    @Override
    public List<String> openUploads(String key, Duration timeout) {
        List<String> ids = new ArrayList<>();
        open.forEach((id, k) -> {
            if (k.equals(key)) {
                ids.add(id);
            }
        });
        return ids;
    }

    @Override
    public void delete(String key, Duration timeout) throws IOException {
        boolean manifest = key.endsWith(BackupKeys.MANIFEST_SUFFIX);
        String object = manifest ? BackupKeys.dumpKeyOf(key) : key;
        if (!objects.contains(object)) {
            throw refused("was not uploaded by this backup: not deleted", key);
        }
        try {
            s3.deleteObject(b -> b.bucket(bucket()).key(key).overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw failed("Deleting " + location(key) + " failed", e);
            }
        }
        (manifest ? manifests : objects).remove(object);
    }

    @Override
    public void deleteStored(String key) throws IOException {
        delete(BackupKeys.manifestKey(key), FINISH_TIMEOUT);
        delete(key, FINISH_TIMEOUT);
    }

    /**
     * Ends the grant: aborts the uploads still open, deletes objects left without their manifest and globals whose
     * dump was not stored (what an agent that died or was stopped left), then closes the clients. Every later call
     * is refused.
     *
     * @return what was cleaned up, or could not be, one sentence each; empty when the agent left nothing
     */
    public synchronized List<String> finish() {
        if (finished) {
            return List.of();
        }
        finished = true;
        // From a thread of its own: the caller is often a thread a build abort interrupted, and the SDK sends
        // nothing from an interrupted thread. Waited for deaf to interruptions (restored), within a deadline.
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                done.complete(cleanUp());
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        }, "pgbackup-grant-finish");
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        long deadline = System.nanoTime() + FINISH_BUDGET.toNanos();
        try {
            while (true) {
                try {
                    return done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    LOGGER.log(Level.WARNING, "Ending the grant for " + settings.location() + " failed", e);
                    return List.of("could not clean up what the agent left: " + e.getCause());
                } catch (TimeoutException e) {
                    return List.of("could not clean up what the agent left within " + FINISH_BUDGET.toSeconds()
                            + " s");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<String> cleanUp() {
        List<String> report = new ArrayList<>();
        try {
            open.forEach((id, key) -> report.add(quietly("aborted the open upload " + id + " of " + location(key),
                    () -> s3.abortMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(id)
                            .overrideConfiguration(o -> o.apiCallTimeout(FINISH_TIMEOUT))))));
            open.clear();
            for (String key : List.copyOf(objects)) {
                if (!manifests.contains(key) || orphanedGlobals(key)) {
                    if (manifests.contains(key)) {
                        report.add(quietly("deleted the manifest " + location(BackupKeys.manifestKey(key)),
                                () -> deleteQuietly(BackupKeys.manifestKey(key))));
                    }
                    report.add(quietly("deleted " + location(key) + ", which has no stored backup",
                            () -> deleteQuietly(key)));
                }
            }
        } finally {
            presigner.close();
            s3.close();
        }
        return report;
    }

    /** Globals whose dump this grant did not store (a manifest makes it stored): they must not outlive it. */
    private boolean orphanedGlobals(String key) {
        String stem = BackupKeys.stemOfGlobals(key);
        if (stem == null) {
            return false;
        }
        for (String stored : manifests) {
            if (BackupKeys.stemOfGlobals(stored) == null && stored.startsWith(stem + ".")) {
                return false;
            }
        }
        return true;
    }

    private void deleteQuietly(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket()).key(key)
                    .overrideConfiguration(o -> o.apiCallTimeout(FINISH_TIMEOUT)));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw e;
            }
        }
    }

    private static String quietly(String done, Runnable action) {
        try {
            action.run();
            return done;
        } catch (SdkException e) {
            LOGGER.log(Level.FINE, "Could not do: " + done, e);
            return "could not do what should be done (" + done + "): " + S3Errors.describe(e);
        }
    }

    @Override
    public void close() {
        List<String> report = finish();
        report.forEach(line -> LOGGER.info("After the agent's backup: " + line));
    }

    /** A new dump or globals key in this database's folder, by its shape. */
    private boolean isNewKeyOfDatabase(String key) {
        String prefix = settings.getPrefix();
        return key.startsWith(folder) && key.indexOf('/', folder.length()) < 0
                && (BackupKeys.isBackupKey(prefix, key) || BackupKeys.isGlobalsKey(prefix, key));
    }

    private void end(String uploadId) {
        String key = open.remove(uploadId);
        if (key != null) {
            ended.put(uploadId, key);
        }
    }

    private void requireOpen(String key, String uploadId) throws StorageException {
        if (!key.equals(open.get(uploadId))) {
            throw refused("has no open upload " + uploadId + " of this backup", key);
        }
    }

    private void requireActive() throws StorageException {
        if (finished) {
            throw new StorageException("The controller ended this backup's access to " + settings.location());
        }
    }

    private StorageException refused(String why, String key) {
        return new StorageException("The controller refused: " + location(key) + " " + why);
    }

    /** Without the SDK's exception as the cause: the message crosses to the agent, the cause stays in this log. */
    private StorageException failed(String what, SdkException e) {
        LOGGER.log(Level.FINE, what, e);
        return new StorageException(what + ": " + S3Errors.describe(e));
    }

    private String bucket() {
        return settings.getBucket();
    }

    private String location(String key) {
        return "s3://" + bucket() + "/" + key;
    }
}
