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
import io.jenkins.plugins.pgbackup.engine.ProgressLog;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.PgPassFile;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.process.ProcessTimeoutException;
import io.jenkins.plugins.pgbackup.process.StderrLines;
import io.jenkins.plugins.pgbackup.retention.Pruner;
import io.jenkins.plugins.pgbackup.retention.PruneResult;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.DeleteResult;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StoragePreflight;
import io.jenkins.plugins.pgbackup.storage.StreamingUploader;
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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One backup, end to end, on the machine that runs pg_dump: detect the server's version, resolve a pg_dump that can
 * dump it, choose format and compression, stream pg_dump's output into a multipart upload, then apply retention.
 * Nothing here touches Jenkins; the Jenkins layer runs it inside an agent-side callable.
 */
public final class BackupEngine {
    private static final Logger LOGGER = Logger.getLogger(BackupEngine.class.getName());
    /** What pg_dump prints when it is older than the server: detect again and pick another client, once. */
    static final String VERSION_MISMATCH = "server version mismatch";

    private final Clock clock;
    private volatile Progress progress;

    public BackupEngine() {
        this(Clock.systemUTC());
    }

    public BackupEngine(Clock clock) {
        this.clock = clock;
    }

    /**
     * @throws BackupException when the backup failed; nothing is left on storage
     * @throws StoppedException when the build was aborted, saying how far the backup had come; pg_dump was killed and
     *     the upload aborted
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
        private volatile boolean dumping;
        private volatile String storedAt;

        Progress(String database) {
            this.database = database;
        }

        StoppedException stopped(Throwable cause) {
            String what = "The backup of " + database + " was stopped ";
            String summary;
            if (storedAt != null) {
                summary = what + "after it was stored at " + storedAt + "; retention did not finish.";
            } else if (dumping) {
                summary = what + "after pg_dump started: pg_dump was stopped and the upload aborted; nothing was "
                        + "stored.";
            } else {
                summary = what + "before pg_dump started: nothing was stored.";
            }
            return new StoppedException(summary, cause);
        }
    }

    private BackupResult run(BackupRequest request, Progress progress, EngineLog log)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        ConnectionSpec spec = request.getConnection();
        preflight(request);
        VersionCache cache = new VersionCache(request.getVersionCacheTtl(), clock);
        cache.restore(request.getCachedVersions());
        ServerVersionResolver versions = new ServerVersionResolver(new ServerVersionDetector(), cache, log);
        ToolResolver tools = new ToolResolver(request.toolLocations(), request.getTools().starter());
        S3Client s3 = S3Clients.create(request.getStorage());
        try {
            VersionResolution server = versions.resolve(spec, request.getPinnedVersion());
            Attempt done;
            try {
                done = attempt(request, server, tools, s3, progress, log);
            } catch (VersionMismatch e) {
                log.warn("pg_dump refused the server's version (" + e.getMessage() + "); detecting it again");
                server = versions.redetect(spec);
                done = attempt(request, server, tools, s3, progress, log);
            }
            progress.storedAt = "s3://" + done.upload.getBucket() + "/" + done.upload.getKey();
            log.info("Backup complete: manifest " + done.upload.getManifestKey() + " written "
                    + done.upload.getFinishMillis() + " ms after the dump's output ended");
            PruneOutcome pruned = prune(request, done.upload, s3, log);
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            log.info("Backup of " + spec.getDatabase() + " stored at s3://" + done.upload.getBucket() + "/"
                    + done.upload.getKey() + " (" + done.upload.getSize() + " bytes, sha256 " + done.upload.getSha256()
                    + ") in " + millis + " ms");
            return new BackupResult(spec.getDatabase(), done.upload.getBucket(), done.upload.getKey(),
                    done.upload.getSize(), done.upload.getSha256(), majorOf(server), fullOf(server),
                    done.tool.version().toString(), done.tool.executable().toString(), done.choice.format().id(),
                    done.choice.compression().toString(), millis, pruned.result, pruned.failure, cache.snapshot())
                    .withGlobals(done.globals);
        } finally {
            s3.close();
        }
    }

    /**
     * Fails in seconds, before pg_dump starts, when nothing could be stored: the endpoint unreachable, the bucket
     * missing, the credentials refused or without the right to write.
     */
    private static void preflight(BackupRequest request) throws BackupException, InterruptedException {
        try {
            new StoragePreflight(request.getStorage()).checkWritable();
        } catch (StorageException e) {
            throw new BackupException(e.getMessage() + ". Nothing was dumped or stored.", "", null);
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

    private Attempt attempt(BackupRequest request, VersionResolution server, ToolResolver tools, S3Client s3,
            Progress progress, EngineLog log) throws IOException, InterruptedException {
        ClientTool tool = resolve(tools, server, log);
        DumpPolicy.Choice choice = choose(request, tool);
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
        StreamingUploader uploader = new StreamingUploader(s3, request.getStorage().getBucket());
        // The globals go first: should the dump fail, they are deleted again, so they never outlive it.
        StoredGlobals globals = request.isIncludeGlobals()
                ? dumpGlobals(request, server, tools, uploader, key, metadata, log) : null;
        UploadResult upload;
        try {
            ProgressLog uploaded = new ProgressLog(log, "Uploaded");
            progress.dumping = true;
            upload = choice.format() == DumpFormat.DIRECTORY
                    ? dumpDirectory(request, tool, choice, uploader, key, metadata, uploaded)
                    : dumpStreaming(request, tool, choice, uploader, key, metadata, uploaded);
            uploaded.finish();
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (globals != null) {
                deleteGlobals(s3, request, globals.key(), log);
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
            StreamingUploader uploader, String dumpKey, BackupMetadata dumpMetadata, EngineLog log)
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
                GlobalsDump.arguments(pgDumpall.executable(), spec, rolePasswords),
                runner -> runner.stdout(out -> uploaded.set(uploadInterruptibly(uploader, out, key, metadata,
                        progress, request))));
        if (uploaded.get() == null) {
            throw new BackupException("pg_dumpall exited normally but nothing was stored; see the log above",
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

    /** The dump failed after its globals were stored: they must not stay without it. */
    private static void deleteGlobals(S3Client s3, BackupRequest request, String key, EngineLog log) {
        try {
            DeleteResult r = new BackupCatalog(s3, request.getStorage()).deleteBackups(List.of(key));
            if (!r.getFailed().isEmpty()) {
                log.warn("Could not delete the globals " + key + " of the failed backup: " + r.getFailed());
            }
        } catch (StorageException e) {
            log.warn("Could not delete the globals " + key + " of the failed backup: " + e.getMessage());
        }
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
        DumpPolicy.Client client = new DumpPolicy.Client(tool.version().major(), tool.supportsGzip(),
                tool.supportsLz4(), tool.supportsZstd());
        try {
            return DumpPolicy.choose(request.getFormat(), request.getCompression(), request.getJobs(), client);
        } catch (IllegalArgumentException e) {
            throw new BackupException(e.getMessage());
        }
    }

    /** pg_dump writes to stdout, which streams through the guard into the upload: no temporary file. */
    private static UploadResult dumpStreaming(BackupRequest request, ClientTool tool, DumpPolicy.Choice choice,
            StreamingUploader uploader, String key, BackupMetadata metadata, ProgressLog progress)
            throws IOException, InterruptedException {
        AtomicReference<UploadResult> uploaded = new AtomicReference<>();
        List<String> args = pgDumpArguments(request, tool, choice, null);
        ProcessResult result = runPgDump(request, args, runner -> runner.stdout(out -> {
            InputStream guarded = new DumpStreamGuard(out, choice.format(), choice.compression(), n -> {});
            uploaded.set(uploadInterruptibly(uploader, guarded, key, metadata, progress, request));
        }));
        if (uploaded.get() == null) {
            throw new BackupException("pg_dump exited normally but nothing was stored; see the log above",
                    result.stderr(), null);
        }
        return uploaded.get();
    }

    /** Directory format: pg_dump -j writes files, which then stream as one tar into the upload. */
    private static UploadResult dumpDirectory(BackupRequest request, ClientTool tool, DumpPolicy.Choice choice,
            StreamingUploader uploader, String key, BackupMetadata metadata, ProgressLog progress)
            throws IOException, InterruptedException {
        Path shared = request.getTools().starter().sharedDirectory();
        // pg_dump writes the directory where it runs: in a container, under the directory both sides see.
        Path work = shared == null ? Files.createTempDirectory("pgbackup-dir-")
                : Files.createTempDirectory(shared, "pgbackup-dir-");
        try {
            Path dir = work.resolve("dump");
            runPgDump(request, pgDumpArguments(request, tool, choice, dir), runner -> runner);
            try (InputStream tar = new DumpStreamGuard(DirectoryTar.stream(dir), DumpFormat.DIRECTORY,
                    choice.compression(), n -> {})) {
                return store(uploader, tar, key, metadata, progress, request);
            }
        } finally {
            deleteTree(work);
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

    private static ProcessResult runPgDump(BackupRequest request, List<String> args, RunnerSetup setup)
            throws IOException, InterruptedException {
        return runTool("pg_dump", request, args, setup);
    }

    /** Runs pg_dump (or pg_dumpall) with the password in a PGPASSFILE and turns every way it can fail into a message. */
    private static ProcessResult runTool(String name, BackupRequest request, List<String> args, RunnerSetup setup)
            throws IOException, InterruptedException {
        ConnectionSpec spec = request.getConnection();
        ProcessResult result;
        try (PgPassFile pgpass = PgPassFile.create(spec)) {
            ProcessRunner runner = ProcessRunner.of(args).name(name)
                    .removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE).environment(pgpass.environment())
                    .secrets(List.of(spec.getPassword())).timeout(request.getTimeout())
                    .starter(request.getTools().starter());
            result = setup.apply(runner).run();
        } catch (ProcessTimeoutException e) {
            throw new BackupException(name + " timed out after " + ProcessTimeoutException.describe(e.getTimeout())
                    + " and was killed; nothing was stored. Raise the timeout (timeoutMinutes) if the database "
                    + "needs longer.", e.getStderr(), e);
        } catch (IOException e) {
            StorageException storage = storageCause(e);
            if (storage != null) {
                // The storage's reason first: it is what the user acts on.
                throw new BackupException(storage.getMessage() + ". pg_dump was stopped; nothing was stored.", "",
                        storage);
            }
            throw new BackupException("The backup failed, nothing was stored: " + e.getMessage(), "", e);
        }
        if (!result.succeeded()) {
            if (result.stderr().contains(VERSION_MISMATCH)) {
                throw new VersionMismatch(StderrLines.telling(result.stderr()));
            }
            throw new BackupException(name + " failed with exit code " + result.exitCode() + ", nothing was stored: "
                    + StderrLines.telling(result.stderr()), result.stderr(), null);
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

    private record PruneOutcome(PruneResult result, String failure) {}

    /**
     * Retention runs only after the upload is confirmed; a retention problem never fails the backup. It runs without
     * keep rules too, then deleting only leftovers of unfinished backups older than the grace period: a backup job is
     * the one regular visitor of its database's folder, and nobody else would clean them up.
     */
    private PruneOutcome prune(BackupRequest request, UploadResult upload, S3Client s3, EngineLog log)
            throws InterruptedException {
        try {
            Pruner pruner = new Pruner(new BackupCatalog(s3, request.getStorage()), log);
            PruneResult r = pruner.prune(upload, request.getConnection().getDatabase(), request.getRetention(),
                    clock.instant());
            if (!r.isComplete()) {
                log.warn("Retention could not delete " + r.getFailed().size() + " objects: " + r.getFailed());
            }
            return new PruneOutcome(r, r.isComplete() ? null : "could not delete " + r.getFailed().keySet());
        } catch (StorageException e) {
            if (!request.getRetention().hasRules()) {
                // Only housekeeping nobody asked for: credentials that may write but not list stay quiet.
                log.info("Leftovers of unfinished backups not cleaned up: " + e.getMessage());
                return new PruneOutcome(null, null);
            }
            log.warn("Retention skipped: " + e.getMessage());
            return new PruneOutcome(null, e.getMessage());
        }
    }

    private static String majorOf(VersionResolution server) {
        return server.version().map(PostgresVersion::majorLabel).orElse("unknown");
    }

    private static String fullOf(VersionResolution server) {
        return server.version().map(PostgresVersion::toString).orElse("unknown");
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOGGER.log(Level.WARNING, "Could not delete " + p, e);
                }
            });
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not delete " + root, e);
        }
    }
}
