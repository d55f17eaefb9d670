package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.ServerVersionDetector;
import io.jenkins.plugins.pgbackup.detection.ServerVersionResolver;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.detection.VersionResolution;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.engine.WorkFiles;
import io.jenkins.plugins.pgbackup.engine.StoppedException;
import io.jenkins.plugins.pgbackup.process.PgPassFile;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.BackupSource;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StoragePreflight;
import io.jenkins.plugins.pgbackup.tools.ClientTool;
import io.jenkins.plugins.pgbackup.tools.ToolResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One restore, end to end, on the machine that runs pg_restore: find the backup, check its SHA-256, read its header,
 * detect the target server's version, choose the client, apply the guardrails, and only then touch the target:
 * create it if asked, and run pg_restore (or psql, or {@code pg_restore -f - | psql} when a statement must be
 * filtered out). Nothing here touches Jenkins; the Jenkins layer runs it inside an agent-side callable.
 */
public final class RestoreEngine {
    private static final Logger LOGGER = Logger.getLogger(RestoreEngine.class.getName());
    /** How many of the target's objects a refusal names. */
    static final int OBJECTS_NAMED = 5;

    private final Clock clock;
    private volatile Progress progress;

    public RestoreEngine() {
        this(Clock.systemUTC());
    }

    public RestoreEngine(Clock clock) {
        this.clock = clock;
    }

    /**
     * @throws RestoreException when the restore was refused (nothing touched the target) or failed
     *     ({@link RestoreException#isTargetTouched()} says which)
     * @throws StoppedException when the build was aborted, saying whether the target was touched; the programs were
     *     killed and a database this restore had created dropped again
     */
    public RestoreResult run(RestoreRequest request, EngineLog log) throws IOException, InterruptedException {
        Progress progress = new Progress(request);
        this.progress = progress;
        return StoppedException.whenInterrupted(() -> run(request, progress, log), progress::stopped);
    }

    /**
     * The line an interruption of the running restore would end with, as things stand: for the controller, which
     * learns of an abort before the agent has finished stopping. {@code null} before {@link #run} started.
     */
    public String stopSummary() {
        Progress p = progress;
        return p == null ? null : p.stopped(null).summary();
    }

    /** How far a restore came, for the line that says what an interruption left in the target. */
    private static final class Progress {
        private final RestoreRequest request;
        private volatile String started;
        private volatile boolean dropped;

        Progress(RestoreRequest request) {
            this.request = request;
        }

        /** The target is about to change; {@code what} says how far: "it created the database", "pg_restore started". */
        void touching(String what) {
            started = what;
        }

        StoppedException stopped(Throwable cause) {
            ConnectionSpec spec = request.getTarget();
            String what = "The restore into database " + spec.getDatabase() + " on " + spec.getHost() + ":"
                    + spec.getPort() + " was stopped ";
            String summary;
            if (started == null) {
                summary = what + "before the target database was touched: nothing was restored.";
            } else if (dropped) {
                summary = what + "after " + started + "; the database it had created was dropped again.";
            } else if (request.isSingleTransaction()) {
                summary = what + "after " + started + "; nothing was committed (single transaction).";
            } else {
                summary = what + "after " + started + ": the target may be partially restored; restore again with "
                        + "clean, or drop and recreate it.";
            }
            return new StoppedException(summary, cause);
        }
    }

    private RestoreResult run(RestoreRequest request, Progress progress, EngineLog log)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        VersionCache cache = new VersionCache(request.getVersionCacheTtl(), clock);
        cache.restore(request.getCachedVersions());
        if (request.getTicket() == null) {
            preflight(request); // when the controller signs, it read the backup's manifest with its keys already
        }
        Path work = workDirectory(request);
        try (OpenSource opened = OpenSource.of(request)) {
            BackupSource source = opened.source();
            RestoreResult.Builder result = RestoreResult.builder();
            Prepared prepared = prepare(request, source, cache, work, result, log);
            restore(request, source, prepared, result, progress, log);
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            RestoreResult done = result.finished(millis, cache.snapshot()).build();
            log.info("Restored s3://" + done.getBucket() + "/" + done.getKey() + " into " + done.getTargetDatabase()
                    + " on " + done.getTargetServer() + " with " + done.getTool() + " " + done.getToolVersion() + " in "
                    + millis + " ms");
            return done;
        } finally {
            WorkFiles.deleteTree(work);
        }
    }

    /** Fails in seconds when the backup cannot be read: the endpoint unreachable, the bucket missing or refused. */
    private static void preflight(RestoreRequest request) throws RestoreException, InterruptedException {
        try {
            new StoragePreflight(request.getStorage()).checkReadable();
        } catch (StorageException e) {
            throw new RestoreException(e.getMessage() + "." + BackupTransfer.UNTOUCHED, "", false, null);
        }
    }

    /**
     * A private directory for this restore's temporary files, under the request's work directory if it has one, else
     * under the directory the clients share with this JVM when they run elsewhere (they read staged files).
     */
    private static Path workDirectory(RestoreRequest request) throws IOException {
        Path parent = request.getWorkDirectory();
        if (parent == null) {
            parent = request.getTools().starter().sharedDirectory();
        }
        if (parent == null) {
            return Files.createTempDirectory("pgbackup-restore-");
        }
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "pgbackup-restore-");
    }

    /** Everything decided before the target is touched. */
    private record Prepared(BackupTransfer.Staged staged, BackupContent content, TargetState target,
            ToolChoice<ClientCandidate> choice, ClientTool pipePsql, Set<String> redundantDrops, Path decompressor,
            int jobs, GlobalsRestore.Plan globals, boolean hasGlobals) {}

    /** The target as found: whether it exists, what it holds, its version. */
    private record TargetState(boolean exists, List<String> objects, VersionResolution version) {}

    private Prepared prepare(RestoreRequest request, BackupSource source, VersionCache cache, Path work,
            RestoreResult.Builder result, EngineLog log) throws IOException, InterruptedException {
        BackupObject found = BackupTransfer.find(source, request, log);
        Decryption.check(request, found, BackupTransfer.declaredFormat(found), log);
        // The target's state is known in a second: refuse a missing or occupied target before reading the backup.
        TargetState target = inspect(request, cache, log);
        Guardrails.checkTarget(request, target.exists(), target.objects());
        ToolResolver resolver = new ToolResolver(request.toolLocations(), request.getTools().starter());
        GlobalsRestore.Plan globals = request.isRestoreGlobals()
                ? GlobalsRestore.plan(source, found, request.getTarget(), target.exists(), resolver,
                        request.getAgeIdentities(), log) : null;
        BackupTransfer.Staged staged = BackupTransfer.stage(source, found,
                BackupTransfer.mode(found, request.getJobs()), work, request.getAgeIdentities(), log);
        BackupObject backup = staged.backup();
        String location = "s3://" + source.getBucket() + "/" + backup.getKey();
        BackupContent content = BackupContent.of(backup, staged.head(), location);
        log.info("Backup " + location + ": " + content.describe());
        Guardrails.checkFormat(request, target.objects(), content);
        PostgresVersion targetVersion = target.version().version().orElse(null);
        ToolChoice<ClientCandidate> choice = RestoreTools.choose(resolver, content, targetVersion);
        log.info("Client: " + choice.client().tool() + ". " + choice.explanation());
        Set<String> redundantDrops = redundantDrops(request, content, target);
        boolean piped = !content.isPlain() && (choice.filterTransactionTimeout() || !redundantDrops.isEmpty());
        ClientTool pipePsql = piped ? RestoreTools.ownPsql(resolver, choice.client().tool()) : null;
        Path decompressor = needsDecompressor(content)
                ? decompressor(request, content, choice.client().tool()) : null;
        int jobs = Guardrails.jobs(request, content, staged.mode(), piped, log);
        record(result, request, backup, content, target, choice, piped, staged.mode(), jobs);
        return new Prepared(staged, content, target, choice, pipePsql, redundantDrops, decompressor, jobs, globals,
                globals != null || hasGlobals(source, backup));
    }

    /** Whether globals are stored with the backup: decides what a failure for a missing role advises. */
    private static boolean hasGlobals(BackupSource source, BackupObject backup) {
        try {
            return source.globals(backup.getKey()).isPresent();
        } catch (StorageException e) {
            LOGGER.log(Level.FINE, "Cannot look for the globals of " + backup.getKey(), e);
            return false;
        }
    }

    /**
     * With clean, the drops pg_restore writes for partitions' inherited constraints fail on every server ("cannot drop
     * inherited constraint"); the parent's drop takes them along, so the script leaves them out.
     */
    private static Set<String> redundantDrops(RestoreRequest request, BackupContent content, TargetState target)
            throws RestoreException {
        if (!request.isClean() || content.isPlain() || !target.exists() || target.objects().isEmpty()) {
            return Set.of();
        }
        try {
            return TargetDatabase.inheritedConstraintDrops(request.getTarget());
        } catch (SQLException e) {
            throw new RestoreException("Cannot inspect the target database: " + e.getMessage() + "."
                    + BackupTransfer.UNTOUCHED, "", false, null);
        }
    }

    /**
     * zstd or lz4 for a compressed plain script: found on this machine, or, when the clients run elsewhere (a
     * container), by name on that side's {@code PATH}.
     */
    private static Path decompressor(RestoreRequest request, BackupContent content, ClientTool psql)
            throws RestoreException {
        if (!request.getTools().starter().isLocal()) {
            return Path.of(content.compression().id());
        }
        return RestoreTools.decompressor(content.compression(), psql, System.getenv("PATH"));
    }

    private static boolean needsDecompressor(BackupContent content) {
        return content.isPlain() && switch (content.compression()) {
            case LZ4, ZSTD -> true;
            default -> false;
        };
    }

    /** Connects to the target (or, when it does not exist yet, its server) without changing anything. */
    private static TargetState inspect(RestoreRequest request, VersionCache cache, EngineLog log)
            throws RestoreException {
        ConnectionSpec spec = request.getTarget();
        try {
            boolean exists = TargetDatabase.exists(spec);
            List<String> objects = exists ? TargetDatabase.userObjects(spec, OBJECTS_NAMED + 1) : List.of();
            ServerVersionResolver versions = new ServerVersionResolver(new ServerVersionDetector(), cache, log);
            // A target that does not exist yet is detected through the maintenance database, and cached under the
            // target's own key: that is the key the next run looks up.
            VersionResolution v = versions.resolve(spec, exists ? spec : TargetDatabase.maintenance(spec),
                    request.getPinnedVersion());
            log.info("Target database " + spec.getDatabase() + " on " + spec.getHost() + ":" + spec.getPort() + ": "
                    + (!exists ? "does not exist" : objects.isEmpty() ? "exists and is empty"
                            : "exists and is not empty"));
            return new TargetState(exists, objects, v);
        } catch (SQLException e) {
            throw new RestoreException("Cannot inspect the target database: " + e.getMessage() + "."
                    + BackupTransfer.UNTOUCHED, "", false, null);
        }
    }

    private static void record(RestoreResult.Builder result, RestoreRequest request, BackupObject backup,
            BackupContent content, TargetState target, ToolChoice<ClientCandidate> choice,
            boolean pipe, BackupTransfer.Mode mode, int jobs) {
        ConnectionSpec spec = request.getTarget();
        ClientTool tool = choice.client().tool();
        result.backup(backup.getKey(), request.getStorage().getBucket(), backup.getMetadata().getDatabase(),
                        backup.getMetadata().getTimestampText(), backup.getMetadata().getSize())
                .target(spec.getDatabase(), spec.getHost() + ":" + spec.getPort(),
                        target.version().version().map(PostgresVersion::toString).orElse("unknown"),
                        target.version().source().name().toLowerCase(Locale.ROOT))
                .dump(content.format().id(), content.archiveVersion(), content.compression().id(),
                        content.pgDumpVersion() == null ? "unknown" : content.pgDumpVersion().toString(),
                        content.sourceServerVersion())
                .tool(pipe ? "pg_restore | psql" : tool.kind().command(), tool.version().toString(),
                        tool.executable().toString(), choice.explanation())
                .options(!target.exists(), request.isClean() && !content.isPlain(), jobs,
                        request.isSingleTransaction())
                .filter(choice.filterTransactionTimeout(), 0)
                .transfer(mode.description());
    }

    /** Touches the target: creates it if needed, runs the programs; on failure, drops what it created. */
    private static void restore(RestoreRequest request, BackupSource source, Prepared p,
            RestoreResult.Builder result, Progress progress, EngineLog log) throws IOException, InterruptedException {
        ConnectionSpec spec = request.getTarget();
        boolean created = false;
        List<String> rolesCreated = List.of();
        try (PgPassFile pgpass = PgPassFile.create(spec)) {
            if (p.globals() != null) {
                applyGlobals(request, p.globals(), pgpass, result, log);
                rolesCreated = p.globals().script().createdRoles();
            }
            if (!p.target().exists()) {
                progress.touching("it created the database");
                create(spec, log);
                created = true;
            }
            RestoreRun run = new RestoreRun(pgpass.environment(),
                    List.of(spec.getPassword(), request.getStorage().getSecretKey()), request.getTimeout(),
                    request.getTools().starter());
            RestoreCommands commands = new RestoreCommands(request, p.content(), p.staged(), p.jobs());
            ScriptFilter filter = new ScriptFilter(p.choice().filterTransactionTimeout(),
                    p.content().isPlain() && request.isSingleTransaction(), p.redundantDrops());
            progress.touching((p.content().isPlain() ? "psql" : "pg_restore") + " started");
            try {
                execute(run, commands, filter, source, p, request.getAgeIdentities(), log);
            } catch (RestoreException e) {
                throw withOwnerAdvice(e, p.hasGlobals());
            }
            result.filter(p.choice().filterTransactionTimeout(), filter.droppedTransactionTimeouts());
            if (filter.isActive()) {
                log.info("Filtered the script: " + filter.droppedTransactionTimeouts() + " \""
                        + ScriptFilter.TRANSACTION_TIMEOUT + "\" dropped, " + filter.unwrappedLargeObjectBlocks()
                        + " large-object transaction(s) joined to the single transaction, "
                        + filter.droppedRedundantStatements() + " drop(s) of partitions' inherited constraints left "
                        + "to their parents");
            }
        } catch (RestoreException e) {
            RestoreException after = aftermath(e, request, created, log);
            // Roles are the server's, not the database's: dropping the database leaves them.
            throw rolesCreated.isEmpty() ? after : new RestoreException(after.getMessage() + " The roles the "
                    + "backup's globals created stay on the server: " + String.join(", ", rolesCreated) + ".",
                    after.getStderrTail(), true, after);
        } catch (InterruptedException | IOException | RuntimeException e) {
            progress.dropped = dropCreated(spec, created, log);
            throw e;
        }
    }

    /** Applies the globals first; their password hashes are masked like secrets should psql repeat a statement. */
    private static void applyGlobals(RestoreRequest request, GlobalsRestore.Plan globals, PgPassFile pgpass,
            RestoreResult.Builder result, EngineLog log) throws RestoreException, InterruptedException {
        List<String> secrets = new ArrayList<>(List.of(request.getTarget().getPassword(),
                request.getStorage().getSecretKey()));
        secrets.addAll(GlobalsScript.passwords(globals.script().script()));
        GlobalsRestore.apply(new RestoreRun(pgpass.environment(), secrets, request.getTimeout(),
                request.getTools().starter()), globals, log);
        result.globals(globals.object().getKey(), globals.script().createdRoles(), globals.script().keptRoles());
    }

    /**
     * A restore that failed on a role the target lacks ("role "app" does not exist": an owner or a grantee) says how
     * to get past it: the backup's globals, the roles created by hand, or noOwner.
     */
    static RestoreException withOwnerAdvice(RestoreException e, boolean hasGlobals) {
        Matcher m = MISSING_ROLE.matcher(e.getStderrTail() + "\n" + e.getMessage());
        if (!m.find()) {
            return e;
        }
        String advice = ". The backup's objects belong to or are granted to roles the target server does not have "
                + "(role \"" + m.group(1) + "\"): "
                + (hasGlobals ? "restore with restoreGlobals to create them from the globals stored with the backup, "
                        : "take backups with includeGlobals and restore them with restoreGlobals, ")
                + "create the roles on the target server first, or restore with noOwner (--no-owner --no-acl: the "
                + "restoring user owns everything and the backup's grants are left out)";
        return new RestoreException(e.getMessage() + advice, e.getStderrTail(), e.isTargetTouched(), e);
    }

    private static final Pattern MISSING_ROLE = Pattern.compile("role \"((?:[^\"]|\"\")+)\" does not exist");

    private static void create(ConnectionSpec spec, EngineLog log) throws RestoreException {
        try {
            TargetDatabase.create(spec);
            log.info("Created database " + spec.getDatabase() + " (from template0)");
        } catch (SQLException e) {
            throw new RestoreException("Cannot create the target database " + spec.getDatabase() + ": "
                    + e.getMessage() + "." + BackupTransfer.UNTOUCHED, "", false, null);
        }
    }

    private static void execute(RestoreRun run, RestoreCommands commands, ScriptFilter filter, BackupSource source,
            Prepared p, List<String> identities, EngineLog log) throws RestoreException, InterruptedException {
        ClientTool tool = p.choice().client().tool();
        BackupObject backup = p.staged().backup();
        boolean streamed = p.staged().mode() == BackupTransfer.Mode.STREAM;
        BackupInput input = new BackupInput(source, backup, identities, log);
        if (p.content().isPlain()) {
            List<String> psql = commands.psql(tool.executable(), true);
            if (p.decompressor() != null) {
                String decompressor = p.content().compression().id();
                log.info("Running " + decompressor + " -dc | psql " + tool.version() + " (" + p.decompressor() + ")");
                run.piped(decompressor, commands.decompressor(p.decompressor()), input.raw(), psql, filter);
            } else {
                log.info("Running psql " + tool.version() + " at " + tool.executable());
                run.single("psql", psql, input.script(p.content().compression(), filter));
            }
        } else if (p.pipePsql() != null) {
            log.info("Running pg_restore " + tool.version() + " -f - | (filter) | psql " + p.pipePsql().version()
                    + (p.choice().filterTransactionTimeout() ? ": the target server is older than 17"
                            : ": clean must leave out drops the server refuses"));
            run.piped("pg_restore", commands.pgRestoreScript(tool.executable()), streamed ? input.raw() : null,
                    commands.psql(p.pipePsql().executable(), false), filter);
        } else {
            List<String> pgRestore = commands.pgRestore(tool.executable());
            log.info("Running pg_restore " + tool.version() + " at " + tool.executable()
                    + (p.jobs() > 1 ? " with " + p.jobs() + " jobs" : ""));
            run.single("pg_restore", pgRestore, streamed ? input.raw() : null);
        }
    }

    /** Says what state the failure left the target in, after dropping a database this restore created. */
    private static RestoreException aftermath(RestoreException e, RestoreRequest request, boolean created,
            EngineLog log) {
        if (!e.isTargetTouched() && !created) {
            return e;
        }
        boolean dropped = dropCreated(request.getTarget(), created, log);
        String state;
        if (dropped) {
            state = " The database this restore had created was dropped again.";
        } else if (request.isSingleTransaction()) {
            state = " Nothing was committed: the restore ran in a single transaction.";
        } else {
            state = " The target database may now hold part of the backup: restore again with clean, or drop and "
                    + "recreate it.";
        }
        return new RestoreException(e.getMessage() + "." + state, e.getStderrTail(), true, e);
    }

    private static boolean dropCreated(ConnectionSpec spec, boolean created, EngineLog log) {
        if (!created) {
            return false;
        }
        try {
            TargetDatabase.drop(spec);
            log.info("Dropped database " + spec.getDatabase() + ", which this failed restore had created");
            return true;
        } catch (SQLException e) {
            log.warn("Could not drop database " + spec.getDatabase() + ", which this failed restore had created: "
                    + e.getMessage());
            return false;
        }
    }
}
