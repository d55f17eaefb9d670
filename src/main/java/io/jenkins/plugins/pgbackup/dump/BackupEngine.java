package io.jenkins.plugins.pgbackup.dump;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.ServerVersionDetector;
import io.jenkins.plugins.pgbackup.detection.ServerVersionResolver;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.detection.VersionResolution;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.engine.ProgressLog;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.PgPassFile;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import io.jenkins.plugins.pgbackup.process.ProcessTimeoutException;
import io.jenkins.plugins.pgbackup.retention.Pruner;
import io.jenkins.plugins.pgbackup.retention.PruneResult;
import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageException;
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

    public BackupEngine() {
        this(Clock.systemUTC());
    }

    public BackupEngine(Clock clock) {
        this.clock = clock;
    }

    /**
     * @throws BackupException when the backup failed; nothing is left on storage
     * @throws InterruptedException when the build was aborted; pg_dump was killed and the upload aborted
     */
    public BackupResult run(BackupRequest request, EngineLog log) throws IOException, InterruptedException {
        long started = System.nanoTime();
        ConnectionSpec spec = request.getConnection();
        VersionCache cache = new VersionCache(request.getVersionCacheTtl(), clock);
        cache.restore(request.getCachedVersions());
        ServerVersionResolver versions = new ServerVersionResolver(new ServerVersionDetector(), cache, log);
        ToolResolver tools = new ToolResolver(request.toolLocations());
        S3Client s3 = S3Clients.create(request.getStorage());
        try {
            VersionResolution server = versions.resolve(spec, request.getPinnedVersion());
            Attempt done;
            try {
                done = attempt(request, server, tools, s3, log);
            } catch (VersionMismatch e) {
                log.warn("pg_dump refused the server's version (" + e.getMessage() + "); detecting it again");
                server = versions.redetect(spec);
                done = attempt(request, server, tools, s3, log);
            }
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
                    done.choice.compression().toString(), millis, pruned.result, pruned.failure, cache.snapshot());
        } finally {
            s3.close();
        }
    }

    /** What one pg_dump run produced. */
    private record Attempt(ClientTool tool, DumpPolicy.Choice choice, UploadResult upload) {}

    /** pg_dump refused the server's version: the caller may detect again and retry once. */
    private static final class VersionMismatch extends IOException {
        private static final long serialVersionUID = 1L;

        VersionMismatch(String message) {
            super(message);
        }
    }

    private Attempt attempt(BackupRequest request, VersionResolution server, ToolResolver tools, S3Client s3,
            EngineLog log) throws IOException, InterruptedException {
        ClientTool tool = resolve(tools, server, log);
        DumpPolicy.Choice choice = choose(request, tool);
        Instant timestamp = clock.instant();
        String database = request.getConnection().getDatabase();
        String key = BackupKeys.key(request.getStorage().getPrefix(), database, timestamp,
                BackupKeys.extension(choice.format().id(), choice.compression().toString()));
        BackupMetadata metadata = BackupMetadata.builder(database, timestamp).backupBy(request.getBackupBy())
                .postgresVersion(majorOf(server)).dumpFormat(choice.format().id()).serverVersion(fullOf(server))
                .pgDumpVersion(tool.version().toString()).compression(choice.compression().toString()).build();
        log.info("Plan: pg_dump " + tool.version() + " at " + tool.executable() + ", format " + choice.format().id()
                + ", compression " + choice.compression() + " (" + choice.rationale() + ")"
                + (choice.jobs() > 1 ? ", " + choice.jobs() + " jobs" : "") + ", to s3://"
                + request.getStorage().getBucket() + "/" + key);
        StreamingUploader uploader = new StreamingUploader(s3, request.getStorage().getBucket());
        ProgressLog progress = new ProgressLog(log, "Uploaded");
        UploadResult upload = choice.format() == DumpFormat.DIRECTORY
                ? dumpDirectory(request, tool, choice, uploader, key, metadata, progress)
                : dumpStreaming(request, tool, choice, uploader, key, metadata, progress);
        progress.finish();
        return new Attempt(tool, choice, upload);
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
            try {
                uploaded.set(uploader.upload(guarded, key, metadata, progress));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("the upload was interrupted");
            }
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
        Path work = Files.createTempDirectory("pgbackup-dir-");
        try {
            Path dir = work.resolve("dump");
            runPgDump(request, pgDumpArguments(request, tool, choice, dir), runner -> runner);
            try (InputStream tar = new DumpStreamGuard(DirectoryTar.stream(dir), DumpFormat.DIRECTORY,
                    choice.compression(), n -> {})) {
                return uploader.upload(tar, key, metadata, progress);
            }
        } finally {
            deleteTree(work);
        }
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

    /** Runs pg_dump with the password in a PGPASSFILE and turns every way it can fail into a message. */
    private static ProcessResult runPgDump(BackupRequest request, List<String> args, RunnerSetup setup)
            throws IOException, InterruptedException {
        ConnectionSpec spec = request.getConnection();
        ProcessResult result;
        try (PgPassFile pgpass = PgPassFile.create(spec)) {
            ProcessRunner runner = ProcessRunner.of(args).name("pg_dump")
                    .removeEnvironment(LibpqArguments.INHERITED_VARIABLES_TO_REMOVE).environment(pgpass.environment())
                    .secrets(List.of(spec.getPassword())).timeout(request.getTimeout());
            result = setup.apply(runner).run();
        } catch (ProcessTimeoutException e) {
            throw new BackupException("pg_dump timed out after " + ProcessTimeoutException.describe(e.getTimeout())
                    + " and was killed; nothing was stored. Raise the timeout (timeoutMinutes) if the database "
                    + "needs longer.", e.getStderr(), e);
        } catch (StorageException e) {
            throw new BackupException("Storing the backup failed, nothing was stored: " + e.getMessage(), "", e);
        } catch (IOException e) {
            throw new BackupException("The backup failed, nothing was stored: " + e.getMessage(), "", e);
        }
        if (!result.succeeded()) {
            if (result.stderr().contains(VERSION_MISMATCH)) {
                throw new VersionMismatch(errorLine(result.stderr()));
            }
            throw new BackupException("pg_dump failed with exit code " + result.exitCode() + ", nothing was stored: "
                    + errorLine(result.stderr()), result.stderr(), null);
        }
        return result;
    }

    /** The line that says what went wrong: pg_dump's last "error:" line (hints follow it), else its last line. */
    static String errorLine(String stderr) {
        String[] lines = stderr.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].contains("error:") || lines[i].contains("FATAL:")) {
                return lines[i].strip();
            }
        }
        return lines.length == 0 || lines[lines.length - 1].isBlank() ? "(no error output)" : lines[lines.length - 1];
    }

    private record PruneOutcome(PruneResult result, String failure) {}

    /** Retention runs only after the upload is confirmed; a retention problem never fails the backup. */
    private PruneOutcome prune(BackupRequest request, UploadResult upload, S3Client s3, EngineLog log)
            throws InterruptedException {
        if (!request.getRetention().hasRules()) {
            return new PruneOutcome(null, null);
        }
        try {
            Pruner pruner = new Pruner(new BackupCatalog(s3, request.getStorage()), log);
            PruneResult r = pruner.prune(upload, request.getConnection().getDatabase(), request.getRetention(),
                    clock.instant());
            if (!r.isComplete()) {
                log.warn("Retention could not delete " + r.getFailed().size() + " backups: " + r.getFailed());
            }
            return new PruneOutcome(r, r.isComplete() ? null : "could not delete " + r.getFailed().keySet());
        } catch (StorageException e) {
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
