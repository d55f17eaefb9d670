package io.jenkins.plugins.pgbackup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The backups under a bucket and prefix: listing (every page, so more than 1,000 objects), the newest backup of a
 * database, reading one backup's description, streaming or downloading it with its SHA-256 checked, and deleting.
 *
 * <p>Only complete backups this plugin wrote count (see {@link BackupObject#isCompleteBackup()}): in the manifest
 * layout ({@code docs/manifest.md}) a dump whose {@link BackupManifest} exists and agrees with it (key, size, ETag); in
 * the first layout a dump whose own metadata holds the {@link BackupMetadata#CREATED_BY} marker, {@code size} and
 * {@code sha256}. A listing is one paginated ListObjectsV2 ({@link #scan}); manifests are recognised by their key
 * suffix, so telling dumps with and without a manifest apart costs nothing more. {@link #list} then reads each
 * manifest (one small GET) and HEADs only the dumps without one, a few at a time. Backups are ordered by their
 * {@code timestamp} metadata, never by LastModified (a copy or a restore from versioning changes that).
 */
public final class BackupCatalog implements BackupSource {
    /** S3's limit of keys per DeleteObjects request. */
    public static final int DELETE_BATCH = 1000;

    /** Reads (manifest GETs, HEADs) in flight while listing. */
    static final int READ_CONCURRENCY = 8;

    private static final Comparator<BackupObject> NEWEST_FIRST = Comparator
            .comparing((BackupObject b) -> b.getMetadata().getTimestamp()).reversed()
            .thenComparing(BackupObject::getKey, Comparator.reverseOrder());

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final ManifestStore manifests;

    /** The catalog of {@code settings}' bucket and prefix; the caller keeps owning (and closes) the client. */
    public BackupCatalog(S3Client s3, StorageSettings settings) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = settings.getBucket();
        this.prefix = settings.getPrefix();
        this.manifests = new ManifestStore(s3, bucket);
    }

    @Override
    public String getBucket() {
        return bucket;
    }

    /** Normalised: no leading or trailing {@code /}. */
    public String getPrefix() {
        return prefix;
    }

    /**
     * One paginated listing, nothing read: every backup-shaped key with its manifest's listing entry, and manifests
     * without a dump. For pages that show many backups cheaply; {@link #list} gives the verdict.
     *
     * @param database a database's real name (its folder is listed), or {@code null} for the whole prefix
     */
    public CatalogScan scan(String database) throws StorageException {
        String listPrefix = database == null ? BackupKeys.folder(prefix) : BackupKeys.databasePrefix(prefix, database);
        Map<String, ListedObject> dumps = new LinkedHashMap<>();
        Map<String, ListedObject> manifestsByDump = new LinkedHashMap<>();
        Set<String> verifyRecords = new HashSet<>();
        Set<String> globals = new HashSet<>();
        forEachObject(listPrefix, o -> {
            ListedObject l = new ListedObject(o.key(), o.size() == null ? -1 : o.size(), o.eTag(), o.lastModified());
            if (BackupKeys.isBackupKey(prefix, o.key())) {
                dumps.put(o.key(), l);
            } else if (BackupKeys.isManifestKey(prefix, o.key())) {
                manifestsByDump.put(BackupKeys.dumpKeyOf(o.key()), l);
            } else if (BackupKeys.isVerifyRecordKey(prefix, o.key())) {
                verifyRecords.add(o.key()); // a companion: deleted with its dump, never counted itself
            } else if (BackupKeys.isGlobalsKey(prefix, o.key())) {
                globals.add(o.key()); // likewise
            }
        });
        List<CatalogScan.Entry> entries = new ArrayList<>();
        dumps.forEach((k, l) -> entries.add(new CatalogScan.Entry(l, manifestsByDump.remove(k))));
        return new CatalogScan(entries, new ArrayList<>(manifestsByDump.values()), verifyRecords, globals);
    }

    /**
     * The plugin's complete backups under the prefix, newest first.
     *
     * @param database a database's real name, or {@code null} for all
     */
    public List<BackupObject> list(String database) throws StorageException, InterruptedException {
        return inventory(database).getComplete();
    }

    /**
     * Every backup-shaped object under the prefix, classified (complete, unfinished, orphan manifest, ignored): one
     * listing, then a GET per manifest and a HEAD per dump without one.
     *
     * @param database a database's real name, or {@code null} for all
     */
    public CatalogInventory inventory(String database) throws StorageException, InterruptedException {
        return inventory(scan(database), database, e -> true);
    }

    /**
     * Classifies the dumps of a {@link #scan} that {@code worthReading} selects, reading only those (a GET per
     * manifest, a HEAD per dump without one); the others are left out of the result. Orphan manifests and
     * {@code pgVerify} records come from the scan as they are. For callers that need only some dumps (the leftover
     * cleanup reads only the old ones without a manifest).
     *
     * @param database the database {@code scan} was made for, or {@code null} for all
     */
    public CatalogInventory inventory(CatalogScan scan, String database, Predicate<CatalogScan.Entry> worthReading)
            throws StorageException, InterruptedException {
        Map<String, String> ignored = new LinkedHashMap<>();
        List<CatalogScan.Entry> toRead = scan.getDumps().stream().filter(worthReading).toList();
        List<Described> described = parallel(toRead, this::describe);
        List<BackupObject> complete = new ArrayList<>();
        List<BackupObject> unfinished = new ArrayList<>();
        for (Described d : described) {
            if (d.backup == null) {
                if (d.problem != null) {
                    ignored.put(d.key, d.problem);
                }
                continue;
            }
            BackupObject b = d.backup;
            String db = b.getMetadata().getDatabase();
            if (database != null && !database.equals(db)) {
                continue;
            }
            if (b.getMetadata().isGlobals()) {
                continue; // never backup-shaped; a globals object is its dump's, never a backup of its own
            }
            String why = b.incompleteness();
            if (why == null) {
                complete.add(b);
            } else if (b.isUnfinishedUpload()) {
                unfinished.add(b);
            } else {
                ignored.put(b.getKey(), why);
            }
        }
        complete.sort(NEWEST_FIRST);
        return new CatalogInventory(complete, unfinished, scan.getOrphanManifests(), ignored,
                scan.getVerifyRecords());
    }

    /** A listed dump, read: the backup (or {@code null} if it vanished or cannot be read, with the problem). */
    private record Described(String key, BackupObject backup, String problem) {}

    private Described describe(CatalogScan.Entry e) throws StorageException {
        try {
            if (e.hasManifest()) {
                Optional<BackupManifest> m = manifests.read(e.getKey());
                if (m.isPresent()) {
                    ListedObject d = e.getDump();
                    return new Described(e.getKey(), new BackupObject(d.getKey(), d.getSize(), d.getLastModified(),
                            d.getETag(), null, m.get()), null);
                }
            }
            return new Described(e.getKey(), headOrNull(e.getKey(), false), null);
        } catch (UnusableManifestException u) {
            return new Described(e.getKey(), null, u.getMessage());
        }
    }

    /** The newest complete backup of a database by its {@code timestamp} metadata, if there is one. */
    @Override
    public Optional<BackupObject> latest(String database) throws StorageException, InterruptedException {
        List<BackupObject> all = list(Objects.requireNonNull(database, "database"));
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * The manifest of the dump at {@code dumpKey}, or empty if there is none (a backup of the first layout, an
     * unfinished upload, or no object at all).
     *
     * @throws StorageException if reading fails or the manifest cannot be read by this version
     */
    public Optional<BackupManifest> readManifest(String dumpKey) throws StorageException {
        return manifests.read(dumpKey);
    }

    /**
     * The complete backup at a key: a HEAD of the object and a GET of its manifest.
     *
     * @throws StorageException "no backup at …" when there is no object, when the object is not a complete backup
     *     written by this plugin, or when its manifest disagrees with it
     */
    @Override
    public BackupObject head(String key) throws StorageException {
        BackupObject b;
        try {
            b = headOrNull(key, true);
        } catch (UnusableManifestException e) {
            throw new StorageException("No backup at " + location(key) + ": " + e.getMessage(), e);
        }
        if (b == null) {
            throw new StorageException("No backup at " + location(key) + ": there is no such object");
        }
        String why = b.incompleteness();
        if (why != null && key.endsWith(BackupKeys.MANIFEST_SUFFIX)) {
            why = "that is a backup's manifest; give the key of the backup itself, " + BackupKeys.dumpKeyOf(key);
        }
        if (why != null) {
            throw new StorageException("No backup at " + location(key) + ": " + why);
        }
        if (b.getMetadata().isGlobals()) {
            throw new StorageException("No backup at " + location(key) + ": it holds the roles and other globals "
                    + "stored with the backup " + b.getMetadata().getDatabase() + " of " + b.getMetadata()
                    .getTimestampText() + "; restore that backup with restoreGlobals to apply them");
        }
        return b;
    }

    /**
     * The cluster's globals stored with the backup at {@code dumpKey} ({@link BackupKeys#globalsKey}), if that
     * backup was taken with them and they are complete; read them with {@link #openStream(BackupObject)}.
     */
    @Override
    public Optional<BackupObject> globals(String dumpKey) throws StorageException {
        String key = BackupKeys.globalsKey(dumpKey);
        BackupObject g;
        try {
            // Stored like a dump: complete when its manifest exists and agrees with it (or, first layout, metadata).
            g = headOrNull(key, true);
        } catch (UnusableManifestException e) {
            throw new StorageException("The globals at " + location(key) + " cannot be read: " + e.getMessage(), e);
        }
        return g != null && g.isCompleteBackup() && g.getMetadata().isGlobals() ? Optional.of(g) : Optional.empty();
    }

    /**
     * Streams a backup's content. The stream checks size and SHA-256 against the metadata as it is read: at its end
     * it throws a {@link StorageException} instead of returning -1 if either differs, so a streaming restore must
     * treat an exception from the last read as a failed restore.
     */
    public InputStream openStream(String key) throws StorageException {
        return openStream(head(key));
    }

    /**
     * Streams the backup that {@code backup} describes, as {@link #openStream(String)} does, but without reading its
     * metadata again: the GET carries {@code If-Match} with that object's ETag, so a second pass (a restore that
     * verified in a first pass, then streams) reads the very object the first pass checked, or fails if the key was
     * overwritten in between.
     */
    @Override
    public InputStream openStream(BackupObject backup) throws StorageException {
        return verifying(backup);
    }

    private VerifyingInputStream verifying(BackupObject backup) throws StorageException {
        ResponseInputStream<GetObjectResponse> in;
        try {
            // If-Match ties the content to the manifest or metadata just read, should the key be overwritten.
            in = s3.getObject(b -> b.bucket(bucket).key(backup.getKey()).ifMatch(backup.getETag()));
        } catch (SdkException e) {
            throw new StorageException("Reading " + location(backup.getKey()) + " failed: " + S3Errors.describe(e), e);
        }
        return new VerifyingInputStream(in, location(backup.getKey()), backup.getMetadata().getSize(),
                backup.getMetadata().getSha256(), backup.getLayout().source());
    }

    /**
     * Reads a backup to its end and checks its size and SHA-256, without keeping it: the first pass of a restore that
     * streams.
     */
    public BackupObject verify(String key) throws IOException {
        BackupObject backup = head(key);
        try (InputStream in = openStream(backup)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return backup;
    }

    /**
     * Downloads a backup to {@code target} through a temporary file next to it, which becomes {@code target} only
     * when size and SHA-256 match the metadata; otherwise it is deleted and the error says what differed.
     */
    public BackupObject download(String key, Path target) throws IOException {
        BackupObject backup = head(key);
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IllegalArgumentException("Cannot download to " + target + ": it has no parent folder");
        }
        Path part = Files.createTempFile(dir, ".pgbackup-", ".part");
        try {
            copy(backup, part);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return backup;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Copies a backup's verified content to a file; a broken connection is reported with the object's name. */
    private void copy(BackupObject backup, Path file) throws IOException {
        try (VerifyingInputStream in = verifying(backup)) {
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (StorageException e) {
                throw e;
            } catch (IOException e) {
                throw new StorageException("Downloading " + location(backup.getKey()) + " failed after "
                        + in.count() + " of " + backup.getMetadata().getSize() + " bytes: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Deletes exactly these keys with DeleteObjects, {@value #DELETE_BATCH} per request, then lists what is left to
     * confirm. Keys that an S3 error names, that a failed request carried, or that are still listed afterwards are in
     * {@link DeleteResult#getFailed()}; a failed batch does not stop the next. For whole backups use
     * {@link #deleteBackups}.
     */
    public DeleteResult delete(List<String> keys) throws StorageException {
        List<String> deleted = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        deleteAll(keys, deleted, failed);
        confirm(deleted, failed);
        return new DeleteResult(deleted, failed);
    }

    /**
     * Deletes backups, each with its manifest: all the manifests first, then the dumps whose manifest is gone. A
     * crash or a failure in between leaves a dump without manifest, which is no longer a backup (never restored as
     * the latest) and which retention removes after its grace period; it never leaves a manifest that could make a
     * half-deleted backup look complete. A dump whose manifest could not be deleted is kept. A backup of the first
     * layout has no manifest; deleting its absent manifest key is harmless.
     *
     * @param dumpKeys the backups' keys (not their manifests')
     * @return keyed by dump key: deleted when dump and manifest are gone
     */
    public DeleteResult deleteBackups(List<String> dumpKeys) throws StorageException {
        List<String> manifestKeys = dumpKeys.stream().map(BackupKeys::manifestKey).toList();
        List<String> manifestsGone = new ArrayList<>();
        Map<String, String> manifestFailures = new LinkedHashMap<>();
        deleteAll(manifestKeys, manifestsGone, manifestFailures);
        Set<String> gone = new HashSet<>(manifestsGone);
        List<String> dumps = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (String k : dumpKeys) {
            String m = BackupKeys.manifestKey(k);
            if (gone.contains(m)) {
                dumps.add(k);
            } else {
                failed.put(k, "its manifest could not be deleted, so the backup was kept: "
                        + manifestFailures.getOrDefault(m, "the server did not confirm the delete"));
            }
        }
        List<String> deleted = new ArrayList<>();
        Map<String, String> dumpFailures = new LinkedHashMap<>();
        deleteAll(dumps, deleted, dumpFailures);
        confirm(deleted, dumpFailures);
        dumpFailures.forEach((k, why) -> failed.put(k, why + " (its manifest was deleted: it is no longer a backup, "
                + "and retention deletes it after the grace period)"));
        return new DeleteResult(deleted, failed);
    }

    private void deleteAll(List<String> keys, List<String> deleted, Map<String, String> failed) {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            deleteBatch(keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)), deleted, failed);
        }
    }

    private void deleteBatch(List<String> batch, List<String> deleted, Map<String, String> failed) {
        List<ObjectIdentifier> ids = batch.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        DeleteObjectsResponse response;
        try {
            response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(false)));
        } catch (SdkException e) {
            String reason = "the DeleteObjects request failed: " + S3Errors.describe(e);
            batch.forEach(k -> failed.put(k, reason));
            return;
        }
        Set<String> confirmed = new HashSet<>();
        response.deleted().forEach(d -> confirmed.add(d.key()));
        for (S3Error error : response.errors()) {
            failed.put(error.key(), error.code() + ": " + error.message());
        }
        for (String k : batch) {
            if (confirmed.contains(k) && !failed.containsKey(k)) {
                deleted.add(k);
            } else if (!failed.containsKey(k)) {
                failed.put(k, "the server did not confirm the delete");
            }
        }
    }

    /** Moves keys a listing still shows from {@code deleted} to {@code failed}. */
    private void confirm(List<String> deleted, Map<String, String> failed) throws StorageException {
        Set<String> remaining = stillListed(deleted);
        deleted.removeIf(k -> {
            if (remaining.contains(k)) {
                failed.put(k, "still present after the server reported it deleted");
                return true;
            }
            return false;
        });
    }

    /** Which of these keys a listing of their folders still shows. */
    private Set<String> stillListed(List<String> keys) throws StorageException {
        if (keys.isEmpty()) {
            return Set.of();
        }
        Set<String> wanted = new HashSet<>(keys);
        Set<String> folders = new HashSet<>();
        keys.forEach(k -> folders.add(k.substring(0, k.lastIndexOf('/') + 1)));
        Set<String> present = new HashSet<>();
        for (String folder : folders) {
            forEachObject(folder, o -> {
                if (wanted.contains(o.key())) {
                    present.add(o.key());
                }
            });
        }
        return present;
    }

    /**
     * The multipart uploads under a database's folder (or the whole prefix) that were started and neither completed
     * nor aborted: what a killed backup whose abort failed leaves behind. Every page.
     *
     * @param database a database's real name, or {@code null} for the whole prefix
     */
    public List<OpenUpload> openUploads(String database) throws StorageException {
        String listPrefix = database == null ? BackupKeys.folder(prefix) : BackupKeys.databasePrefix(prefix, database);
        List<OpenUpload> open = new ArrayList<>();
        try {
            s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(listPrefix)).uploads()
                    .forEach(u -> open.add(new OpenUpload(u.key(), u.uploadId(), u.initiated())));
        } catch (SdkException e) {
            throw new StorageException("Listing the multipart uploads under " + location(listPrefix) + " failed: "
                    + S3Errors.describe(e), e);
        }
        return open;
    }

    /** Aborts an open multipart upload; one that is gone already counts as aborted. */
    public void abortUpload(OpenUpload upload) throws StorageException {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) {
                throw new StorageException("Aborting the multipart upload " + upload.uploadId() + " of "
                        + location(upload.key()) + " failed: " + S3Errors.describe(e), e);
            }
        }
    }

    /**
     * Writes, reads and deletes a small object under the prefix: what the "Test connection" button runs. Proves the
     * credentials, the endpoint, the bucket and the permissions a backup needs (put, head, delete).
     *
     * @return how long the round trip took
     * @throws StorageException naming the step that failed
     */
    public Duration probe() throws StorageException {
        long start = System.nanoTime();
        String key = BackupKeys.folder(prefix) + ".pgbackup-probe-" + UUID.randomUUID();
        byte[] content = ("PostgreSQL Backup connection test " + key).getBytes(StandardCharsets.UTF_8);
        step("Writing", key, () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content)));
        long length = step("Reading", key, () -> s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        step("Deleting", key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        if (length != content.length) {
            throw new StorageException("Reading " + location(key) + " returned " + length + " bytes instead of "
                    + content.length);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private <T> T step(String what, String key, Supplier<T> call) throws StorageException {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new StorageException(what + " the test object " + location(key) + " failed: "
                    + S3Errors.describe(e), e);
        }
    }

    /** Every object under a prefix, page by page with continuation tokens. */
    private void forEachObject(String listPrefix, Consumer<S3Object> action) throws StorageException {
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page;
            try {
                page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(listPrefix).continuationToken(continuation));
            } catch (SdkException e) {
                throw new StorageException("Listing " + location(listPrefix) + " failed: " + S3Errors.describe(e),
                        e);
            }
            page.contents().forEach(action);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
    }

    /** A read that may fail with a storage error. */
    @FunctionalInterface
    private interface Read<T, R> {
        R apply(T item) throws StorageException;
    }

    /** Applies {@code read} to every item, {@value #READ_CONCURRENCY} at a time, keeping the order. */
    private <T, R> List<R> parallel(List<T> items, Read<T, R> read) throws StorageException, InterruptedException {
        if (items.isEmpty()) {
            return List.of();
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(READ_CONCURRENCY, items.size()), r -> {
            Thread t = new Thread(r, "pgbackup-catalog-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            items.forEach(i -> futures.add(pool.submit(() -> read.apply(i))));
            List<R> result = new ArrayList<>();
            for (Future<R> f : futures) {
                result.add(f.get());
            }
            return result;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StorageException s) {
                throw s;
            }
            throw new StorageException("Reading backups under " + location(prefix) + " failed: " + e.getCause(),
                    e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * HEADs the object and, if asked or the object was written for a manifest, reads its manifest; {@code null} when
     * there is no object.
     */
    private BackupObject headOrNull(String key, boolean readManifest) throws StorageException {
        HeadObjectResponse h;
        try {
            h = s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return null;
            }
            throw new StorageException("Reading the metadata of " + location(key) + " failed: "
                    + S3Errors.describe(e), e);
        }
        BackupMetadata metadata = BackupMetadata.fromUserMetadata(h.metadata());
        BackupManifest manifest = readManifest ? manifests.read(key).orElse(null) : null;
        return new BackupObject(key, h.contentLength(), h.lastModified(), h.eTag(), metadata, manifest);
    }

    private String location(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
