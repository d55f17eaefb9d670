package io.jenkins.plugins.pgbackup.dump;

import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
import io.jenkins.plugins.pgbackup.crypto.AgeStreams;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.ServerVersionDetector;
import io.jenkins.plugins.pgbackup.detection.ServerVersionResolver;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.detection.VersionResolution;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.engine.WorkFiles;
import io.jenkins.plugins.pgbackup.engine.ProgressLog;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.PgPassFile;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.process.ProcessTimeoutException;
import io.jenkins.plugins.pgbackup.process.StderrLines;
import io.jenkins.plugins.pgbackup.signing.BackupGrant;
import io.jenkins.plugins.pgbackup.signing.SignedUploadTarget;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.DeleteResult;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StoragePreflight;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
import io.jenkins.plugins.pgbackup.storage.UploadTarget;
import io.jenkins.plugins.pgbackup.storage.UploadResult;
import io.jenkins.plugins.pgbackup.tools.ClientTool;
import io.jenkins.plugins.pgbackup.tools.NoSuitableClientException;
import io.jenkins.plugins.pgbackup.tools.ToolResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One backup, end to end, on the machine that runs pg_dump: detect the server's version, resolve a pg_dump that can
 * dump it, choose format and compression, stream pg_dump's output into a multipart upload, then apply retention. When
 * the controller keeps the storage keys ({@link BackupRequest#getGrant()}), every storage request goes to it or to the
 * part URLs it signs, and retention is left to it ({@link BackupRetention}).
 * Nothing here touches Jenkins; the Jenkins layer runs it inside an agent-side callable.
 */
public final class BackupEngine {
    private final Clock clock;
    private volatile Progress progress;
    /** Test seam: follows every upload, and may stop it at a checkpoint. */
    private StreamingUploader.Observer uploadObserver = StreamingUploader.Observer.NONE;
    /** Test seam: smaller parts, so that a small table makes several. */
    private int partSize;

    public BackupEngine() {
        this(Clock.systemUTC());
    }

    public BackupEngine(Clock clock) {
        this.clock = clock;
    }

    /** Test seam: {@code observer} follows every upload of this engine, on the uploading thread. */
    BackupEngine observeUploads(StreamingUploader.Observer observer) {
        this.uploadObserver = observer;
        return this;
    }

    /** Test seam: parts of this many bytes (at least 5 MiB) instead of 16 MiB or more. */
    BackupEngine partSize(int bytes) {
        this.partSize = bytes;
        return this;
    }

    /**
     * @throws BackupException when the backup failed; its message says that nothing was stored, or names what the
     *     cleanup could not remove
     * @throws StoppedException when the build was aborted, saying how far the backup had come and what the stop left:
     *     pg_dump was killed and the upload's cleanup (abort, deletes) is over, or known to have failed
     */
    public BackupResult run(BackupRequest request, EngineLog log) throws IOException, InterruptedException {
        Progress progress = new Progress(request.getConnection().getDatabase());
        this.progress = progress;
        return StoppedException.whenInterrupted(() -> run(request, progress, log), progress::stopped);
    }

    /**
     * The line an interruption of the running backup would end with, as things stand: for the controller, which
     * learns of an abort before the agent has finished stopping. {@code null} before {@link #run} started.
     */
    public String stopSummary() {
        Progress p = progress;
        return p == null ? null : p.stopped(null).summary();
    }

    /** How far a backup came, for the line that says what an interruption left. */
    private static final class Progress {
        private final String database;
        private volatile UploadWatch globals;
        private volatile UploadWatch dump;
        private volatile String storedAt;
        /** The stored globals of a dump that failed, until they are deleted; or why they could not be. */
        private volatile String globalsLeft;

        Progress(String database) {
            this.database = database;
        }

        StoppedException stopped(Throwable cause) {
            String what = "The backup of " + database + " was stopped ";
            String stored = storedAt != null ? storedAt : dump == null ? null : dump.storedAt();
            String summary;
            if (stored != null) {
                summary = what + "after it was stored at " + stored + "; retention did not finish.";
            } else if (dump != null) {
                summary = what + stage("pg_dump", dump) + left(dump);
            } else if (globals != null) {
                summary = what + stage("pg_dumpall", globals) + left(globals);
            } else {
                summary = what + "before pg_dump started: nothing was stored.";
            }
            return new StoppedException(summary, cause);
        }

        private static String stage(String tool, UploadWatch upload) {
            return upload.sourceEnded() ? "after " + tool + " finished, before the backup was complete: its upload"
                    + " was stopped" : "after " + tool + " started: " + tool + " was stopped";
        }

        /** " and the multipart upload was aborted; nothing was stored." or what remains. */
        private String left(UploadWatch upload) {
            List<String> done = new ArrayList<>();
            List<String> remains = new ArrayList<>();
            upload.describe(done, remains);
            String g = globalsLeft;
            if (g != null) {
                remains.add(g);
            }
            return (done.isEmpty() ? "" : " and " + String.join(" and ", done)) + "; "
                    + (remains.isEmpty() ? "nothing was stored." : String.join("; ", remains));
        }
    }

    private BackupResult run(BackupRequest request, Progress progress, EngineLog log)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        ConnectionSpec spec = request.getConnection();
        StorageCheck storage = StorageCheck.start(request);
        S3Client s3 = null;
        try {
            VersionCache cache = new VersionCache(request.getVersionCacheTtl(), clock);
            cache.restore(request.getCachedVersions());
            ServerVersionResolver versions = new ServerVersionResolver(new ServerVersionDetector(), cache, log);
            ToolResolver tools = new ToolResolver(request.toolLocations(), request.getTools().starter());
            VersionResolution server = storage.firstIfFailed(() -> versions.resolve(spec, request.getPinnedVersion()));
            Storage target;
            if (request.isControllerSigns()) {
                target = Storage.signed(request);
            } else {
                s3 = S3Clients.create(request.getStorage());
                target = Storage.withKeys(s3, request);
            }
            Attempt done;
            try {
                done = attempt(request, server, tools, target, storage, progress, log);
            } catch (VersionMismatch e) {
                log.warn("pg_dump refused the server's version (" + e.getMessage() + "); detecting it again");
                server = versions.redetect(spec);
                done = attempt(request, server, tools, target, storage, progress, log);
            }
            progress.storedAt = "s3://" + done.upload.getBucket() + "/" + done.upload.getKey();
            log.info("Backup complete: manifest " + done.upload.getManifestKey() + " written "
                    + done.upload.getFinishMillis() + " ms after the dump's output ended");
            BackupRetention.Outcome pruned;
            if (s3 == null) {
                log.info("Retention runs on the controller, which keeps the storage keys");
                pruned = new BackupRetention.Outcome(null, null);
            } else {
                pruned = BackupRetention.prune(done.upload, spec.getDatabase(), request.getRetention(),
                        new BackupCatalog(s3, request.getStorage()), log, clock.instant());
            }
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            log.info("Backup of " + spec.getDatabase() + " stored at s3://" + done.upload.getBucket() + "/"
                    + done.upload.getKey() + " (" + done.upload.getSize() + " bytes, sha256 " + done.upload.getSha256()
                    + ") in " + millis + " ms");
            return new BackupResult(spec.getDatabase(), done.upload.getBucket(), done.upload.getKey(),
                    done.upload.getSize(), done.upload.getSha256(), majorOf(server), fullOf(server),
                    done.tool.version().toString(), done.tool.executable().toString(), done.choice.format().id(),
                    done.choice.compression().toString(), millis, pruned.result(), pruned.failure(),
                    cache.snapshot()).withGlobals(done.globals).withUpload(done.upload, s3 == null);
        } finally {
            storage.cancel();
            if (s3 != null) {
                s3.close();
            }
        }
    }

    /**
     * Fails in seconds, before pg_dump starts, when nothing could be stored: the endpoint unreachable, the bucket
     * missing, the credentials refused or without the right to write. It runs beside the server's detection and the
     * client's resolution: on a fresh agent the storage client's first use costs seconds of class loading and
     * initialisation, which need not wait for them. pg_dump starts only once it passed, and when both fail, the
     * storage's failure is the one reported, as when it ran first.
     */
    private static final class StorageCheck {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final Thread thread;

        private StorageCheck(BackupRequest request) {
            thread = new Thread(() -> {
                try {
                    if (request.isControllerSigns()) {
                        request.getGrant().checkWritable();
                    } else {
                        new StoragePreflight(request.getStorage()).checkWritable();
                    }
                    done.complete(null);
                } catch (StorageException e) {
                    done.completeExceptionally(
                            new BackupException(e.getMessage() + ". Nothing was dumped or stored.", "", null));
                } catch (IOException e) {
                    // The controller could not be asked (the channel closed): nothing was dumped either.
                    done.completeExceptionally(new BackupException("Could not ask the controller to check "
                            + request.getStorage().location() + ": " + e.getMessage()
                            + ". Nothing was dumped or stored.", "", e));
                } catch (InterruptedException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }, "PostgreSQL Backup storage check");
            thread.setDaemon(true);
        }

        static StorageCheck start(BackupRequest request) {
            StorageCheck check = new StorageCheck(request);
            check.thread.start();
            return check;
        }

        /** Waits for the check; its failure as it would have been thrown had it run on this thread. */
        void await() throws BackupException, InterruptedException {
            try {
                done.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof BackupException b) {
                    throw b;
                }
                if (cause instanceof InterruptedException i) {
                    throw i;
                }
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            }
        }

        /** Runs {@code work}; should it fail, the storage check's own failure comes first. */
        <T> T firstIfFailed(StoppedException.Work<T> work) throws IOException, InterruptedException {
            try {
                return work.run();
            } catch (IOException | RuntimeException e) {
                await();
                throw e;
            }
        }

        void cancel() {
            thread.interrupt();
        }
    }

    /** What one pg_dump run produced. */
    private record Attempt(ClientTool tool, DumpPolicy.Choice choice, UploadResult upload, StoredGlobals globals) {}

    /** pg_dump refused the server's version: the caller may detect again and retry once. */
    private static final class VersionMismatch extends IOException {
        private static final long serialVersionUID = 1L;

        VersionMismatch(String message) {
            super(message);
        }
    }

    /**
     * Where the uploads go and how a failed dump's globals are deleted: with this machine's S3 client, or through the
     * controller's grant when the controller keeps the keys.
     */
    private record Storage(UploadTarget target, GlobalsDeleter globals) {
        static Storage withKeys(S3Client s3, BackupRequest request) {
            return new Storage(UploadTarget.of(s3, request.getStorage().getBucket()), key -> {
                DeleteResult r = new BackupCatalog(s3, request.getStorage()).deleteBackups(List.of(key));
                return r.getFailed().isEmpty() ? null : String.valueOf(r.getFailed().get(key));
            });
        }

        static Storage signed(BackupRequest request) {
            BackupGrant grant = request.getGrant();
            return new Storage(new SignedUploadTarget(grant, request.getStorage().getBucket()), key -> {
                grant.deleteStored(key);
                return null;
            });
        }
    }

    /** Deletes stored globals and their manifest; {@code null} when done, else why not. */
    private interface GlobalsDeleter {
        String delete(String key) throws IOException;
    }

    private Attempt attempt(BackupRequest request, VersionResolution server, ToolResolver tools, Storage target,
            StorageCheck storage, Progress progress, EngineLog log) throws IOException, InterruptedException {
        ClientTool tool = storage.firstIfFailed(() -> resolve(tools, server, log));
        DumpPolicy.Choice choice = storage.firstIfFailed(() -> choose(request, tool));
        storage.await();
        Instant timestamp = clock.instant();
        String database = request.getConnection().getDatabase();
        List<String> recipients = request.getAgeRecipients();
        boolean encrypted = !recipients.isEmpty();
        String key = BackupKeys.key(request.getStorage().getPrefix(), database, timestamp,
                BackupKeys.extension(choice.format().id(), choice.compression().toString())
                        + (encrypted ? BackupKeys.AGE_SUFFIX : ""));
        BackupMetadata.Builder described = BackupMetadata.builder(database, timestamp).backupBy(request.getBackupBy())
                .postgresVersion(majorOf(server)).dumpFormat(choice.format().id()).serverVersion(fullOf(server))
                .pgDumpVersion(tool.version().toString()).compression(choice.compression().toString());
        if (encrypted) {
            described.encryptedWithAge(AgeKeys.fingerprints(recipients));
        }
        BackupMetadata metadata = described.build();
        log.info("Plan: pg_dump " + tool.version() + " at " + tool.executable() + ", format " + choice.format().id()
                + ", compression " + choice.compression() + " (" + choice.rationale() + ")"
                + (choice.jobs() > 1 ? ", " + choice.jobs() + " jobs" : "")
                + (encrypted ? ", encrypted with age for " + recipients.size() + " recipient(s) (fingerprints "
                        + String.join(", ", AgeKeys.fingerprints(recipients)) + ")" : "") + ", to s3://"
                + request.getStorage().getBucket() + "/" + key);
        String bucket = request.getStorage().getBucket();
        StreamingUploader uploader = new StreamingUploader(target.target());
        if (partSize > 0) {
            uploader = uploader.withPartSize(partSize);
        }
        // The globals go first: should the dump fail, they are deleted again, so they never outlive it.
        StoredGlobals globals = null;
        if (request.isIncludeGlobals()) {
            UploadWatch watch = new UploadWatch(bucket, BackupKeys.globalsKey(key), uploadObserver);
            progress.globals = watch;
            globals = dumpGlobals(request, server, tools, uploader.withObserver(watch), watch, key, metadata, log);
        }
        UploadWatch watch = new UploadWatch(bucket, key, uploadObserver);
        UploadResult upload;
        try {
            ProgressLog uploaded = new ProgressLog(log, "Uploaded");
            progress.dump = watch;
            StreamingUploader dumpUploader = uploader.withObserver(watch);
            upload = choice.format() == DumpFormat.DIRECTORY
                    ? dumpDirectory(request, tool, choice, dumpUploader, watch, key, metadata, uploaded)
                    : dumpStreaming(request, tool, choice, dumpUploader, watch, key, metadata, uploaded);
            uploaded.finish();
        } catch (IOException | InterruptedException | RuntimeException e) {
            // Stopped after the manifest was written, the dump is a backup: its globals stay with it.
            if (globals != null && watch.storedAt() == null) {
                progress.globalsLeft = deleteGlobals(target.globals(), request, globals.key(), log);
            }
            throw e;
        }
        return new Attempt(tool, choice, upload, globals);
    }

    /**
     * The one place where the content of every object a backup stores (the dump, and its globals) passes on its way
     * to the uploader: where a transformation of the stored bytes, such as encryption, belongs.
     */
    private static UploadResult store(StreamingUploader uploader, InputStream content, String key,
            BackupMetadata metadata, ProgressLog progress, BackupRequest request)
            throws IOException, InterruptedException {
        return uploader.upload(encrypted(content, request), key, metadata, progress);
    }

    /**
     * {@code pg_dumpall --globals-only} (same version choice as pg_dump), streamed into {@code <dump>.globals.sql}
     * with the dump's metadata, its own size and SHA-256 and {@code kind: globals}. Encrypted exactly as the dump is
     * ({@link #store}): role names and password hashes are as sensitive as the data.
     */
    private static StoredGlobals dumpGlobals(BackupRequest request, VersionResolution server, ToolResolver tools,
            StreamingUploader uploader, UploadWatch watch, String dumpKey, BackupMetadata dumpMetadata, EngineLog log)
            throws IOException, InterruptedException {
        ClientTool pgDumpall;
        try {
            pgDumpall = tools.resolvePgDumpall(server.version().orElse(null), log);
        } catch (NoSuitableClientException e) {
            throw new BackupException("includeGlobals needs pg_dumpall: " + e.getMessage(), "", e);
        }
        ConnectionSpec spec = request.getConnection();
        boolean rolePasswords = GlobalsDump.readsRolePasswords(spec);
        GlobalsDump.logPlan(pgDumpall, rolePasswords, spec.getUsername(), log);
        String key = BackupKeys.globalsKey(dumpKey);
        BackupMetadata metadata = globalsMetadata(dumpMetadata, pgDumpall);
        AtomicReference<UploadResult> uploaded = new AtomicReference<>();
        ProgressLog progress = new ProgressLog(log, "Uploaded globals");
        ProcessResult result = runTool("pg_dumpall", request,
                GlobalsDump.arguments(pgDumpall.executable(), spec, rolePasswords), watch,
                runner -> runner.stdout(out -> watched(watch,
                        () -> uploaded.set(uploadInterruptibly(uploader, out, key, metadata, progress, request)))));
        if (uploaded.get() == null) {
            throw new BackupException("pg_dumpall exited normally but " + watch.nothingStored() + "; see the log above",
                    result.stderr(), null);
        }
        progress.finish();
        UploadResult u = uploaded.get();
        log.info("Globals stored at s3://" + u.getBucket() + "/" + u.getKey() + " (" + u.getSize() + " bytes, sha256 "
                + u.getSha256() + ")");
        return new StoredGlobals(u.getKey(), u.getSize(), u.getSha256(), pgDumpall.version().toString(),
                rolePasswords);
    }

    /**
     * The dump's metadata (known at the start) for the globals, with pg_dumpall's version, the kind marker and the
     * dump's encryption.
     */
    static BackupMetadata globalsMetadata(BackupMetadata dump, ClientTool pgDumpall) {
        return BackupMetadata.builder(dump.getDatabase(), dump.getTimestamp()).backupBy(dump.getBackupBy())
                .postgresVersion(dump.getPostgresVersion()).serverVersion(dump.getServerVersion())
                .dumpFormat(DumpFormat.PLAIN.id()).compression(Compression.NONE.toString())
                .pgDumpVersion(pgDumpall.version().toString()).kind(BackupMetadata.KIND_GLOBALS).encryptionOf(dump)
                .build();
    }

    private static UploadResult uploadInterruptibly(StreamingUploader uploader, InputStream content, String key,
            BackupMetadata metadata, ProgressLog progress, BackupRequest request) throws IOException {
        try {
            return store(uploader, content, key, metadata, progress, request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the upload was interrupted");
        }
    }

    /** An upload on the calling thread, which {@code watch} learns has begun and ended. */
    private interface WatchedUpload {
        void run() throws IOException;
    }

    private static void watched(UploadWatch watch, WatchedUpload upload) throws IOException {
        watch.started();
        try {
            upload.run();
        } finally {
            watch.ended();
        }
    }

    /**
     * The dump failed or was stopped after its globals were stored: they must not stay without it. Deleted from a
     * thread of its own, since this one may have been interrupted again.
     *
     * @return {@code null} when they are gone; otherwise the sentence that says they remain
     */
    private static String deleteGlobals(GlobalsDeleter deleter, BackupRequest request, String key, EngineLog log) {
        String why = Aside.call(() -> {
            try {
                return deleter.delete(key);
            } catch (IOException | RuntimeException e) {
                return e.getMessage();
            }
        }, UploadWatch.MAX_WAIT);
        if (why == null) {
            return null;
        }
        log.warn("Could not delete the globals " + key + " of the failed backup: " + why);
        return "the globals s3://" + request.getStorage().getBucket() + "/" + key + " could not be deleted (" + why
                + "): delete them by hand, or let the next successful backup of this database delete them once they "
                + "are older than the grace period for leftovers.";
    }

    private static ClientTool resolve(ToolResolver tools, VersionResolution server, EngineLog log)
            throws BackupException {
        try {
            return tools.resolvePgDump(server.version().orElse(null), log);
        } catch (NoSuitableClientException e) {
            throw new BackupException(e.getMessage(), "", e);
        }
    }

    private static DumpPolicy.Choice choose(BackupRequest request, ClientTool tool) throws BackupException {
        DumpPolicy.Client client = new DumpPolicy.Client(tool.version().major(), tool.gzip(), tool.lz4(), tool.zstd(),
                tool.compressionEvidence());
        try {
            return DumpPolicy.choose(request.getFormat(), request.getCompression(), request.getJobs(), client);
        } catch (IllegalArgumentException e) {
            throw new BackupException(e.getMessage());
        }
    }

    /** pg_dump writes to stdout, which streams through the guard into the upload: no temporary file. */
    private static UploadResult dumpStreaming(BackupRequest request, ClientTool tool, DumpPolicy.Choice choice,
            StreamingUploader uploader, UploadWatch watch, String key, BackupMetadata metadata, ProgressLog progress)
            throws IOException, InterruptedException {
        AtomicReference<UploadResult> uploaded = new AtomicReference<>();
        List<String> args = pgDumpArguments(request, tool, choice, null);
        ProcessResult result = runTool("pg_dump", request, args, watch, runner -> runner.stdout(out -> watched(watch,
                () -> {
                    InputStream guarded = new DumpStreamGuard(out, choice.format(), choice.compression(), n -> {});
                    uploaded.set(uploadInterruptibly(uploader, guarded, key, metadata, progress, request));
                })));
        if (uploaded.get() == null) {
            throw new BackupException("pg_dump exited normally but " + watch.nothingStored() + "; see the log above",
                    result.stderr(), null);
        }
        return uploaded.get();
    }

    /** Directory format: pg_dump -j writes files, which then stream as one tar into the upload. */
    private static UploadResult dumpDirectory(BackupRequest request, ClientTool tool, DumpPolicy.Choice choice,
            StreamingUploader uploader, UploadWatch watch, String key, BackupMetadata metadata, ProgressLog progress)
            throws IOException, InterruptedException {
        Path shared = request.getTools().starter().sharedDirectory();
        // pg_dump writes the directory where it runs: in a container, under the directory both sides see.
        Path work = shared == null ? Files.createTempDirectory("pgbackup-dir-")
                : Files.createTempDirectory(shared, "pgbackup-dir-");
        try {
            Path dir = work.resolve("dump");
            runTool("pg_dump", request, pgDumpArguments(request, tool, choice, dir), watch, runner -> runner);
            // On this thread: an interruption reaches the uploader itself, which cleans up before it throws.
            try (InputStream tar = new DumpStreamGuard(DirectoryTar.stream(dir), DumpFormat.DIRECTORY,
                    choice.compression(), n -> {})) {
                return store(uploader, tar, key, metadata, progress, request);
            }
        } finally {
            WorkFiles.deleteTree(work);
        }
    }

    /** What the uploader reads: the dump itself, or its age encryption (the stored SHA-256 is of those bytes). */
    private static InputStream encrypted(InputStream dump, BackupRequest request) throws IOException {
        return request.getAgeRecipients().isEmpty() ? dump : AgeStreams.encrypt(dump, request.getAgeRecipients());
    }

    static List<String> pgDumpArguments(BackupRequest request, ClientTool tool, DumpPolicy.Choice choice,
            Path directory) {
        List<String> args = new ArrayList<>();
        args.add(tool.executable().toString());
        args.add("--format=" + choice.format().flag());
        if (choice.format().supportsCompression()) {
            args.add(choice.compression().pgDumpArgument(tool.version().major()));
        }
        if (directory != null) {
            args.add("--jobs=" + choice.jobs());
            args.add("--file=" + directory);
        }
        args.addAll(request.getExtraDumpOptions());
        args.addAll(LibpqArguments.connectionArguments(request.getConnection()));
        return args;
    }

    private interface RunnerSetup {
        ProcessRunner apply(ProcessRunner runner);
    }

    /**
     * Runs pg_dump (or pg_dumpall) with the password in a PGPASSFILE and turns every way it can fail into a message.
     * However it ends but well, the upload's cleanup is waited for first ({@code watch}): the message says what it
     * left, and an interruption is reported only once the upload is aborted (or known not to be).
     */
    private static ProcessResult runTool(String name, BackupRequest request, List<String> args, UploadWatch watch,
            RunnerSetup setup) throws IOException, InterruptedException {
        ConnectionSpec spec = request.getConnection();
        ProcessResult result;
        try (PgPassFile pgpass = PgPassFile.create(spec)) {
            ProcessRunner runner = ProcessRunner.of(args).name(name)
                    .removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE).environment(pgpass.environment())
                    .secrets(List.of(spec.getPassword())).timeout(request.getTimeout())
                    .starter(request.getTools().starter());
            result = setup.apply(runner).run();
        } catch (InterruptedException e) {
            watch.awaitEnd();
            throw e;
        } catch (ProcessTimeoutException e) {
            watch.awaitEnd();
            throw new BackupException(name + " timed out after " + ProcessTimeoutException.describe(e.getTimeout())
                    + " and was killed; " + watch.nothingStored() + ". Raise the timeout (timeoutMinutes) if the "
                    + "database needs longer.", e.getStderr(), e);
        } catch (IOException e) {
            watch.awaitEnd();
            StorageException storage = storageCause(e);
            if (storage != null) {
                // The storage's reason first: it is what the user acts on; it says what the cleanup left.
                throw new BackupException(storage.getMessage() + ". " + name + " was stopped.", "", storage);
            }
            throw new BackupException("The backup failed, " + watch.nothingStored() + ": " + e.getMessage(), "", e);
        }
        if (!result.succeeded()) {
            watch.awaitEnd();
            if (ToolResolver.reportsServerVersionMismatch(result.stderr())) {
                throw new VersionMismatch(StderrLines.telling(result.stderr()));
            }
            throw new BackupException(name + " failed with exit code " + result.exitCode() + ", "
                    + watch.nothingStored() + ": " + StderrLines.telling(result.stderr()), result.stderr(), null);
        }
        return result;
    }

    private static StorageException storageCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StorageException s) {
                return s;
            }
        }
        return null;
    }

    private static String majorOf(VersionResolution server) {
        return server.version().map(PostgresVersion::majorLabel).orElse("unknown");
    }

    private static String fullOf(VersionResolution server) {
        return server.version().map(PostgresVersion::toString).orElse("unknown");
    }
}
