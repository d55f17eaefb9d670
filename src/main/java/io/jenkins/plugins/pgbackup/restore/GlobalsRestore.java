package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.BackupSource;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.tools.ClientTool;
import io.jenkins.plugins.pgbackup.tools.ToolKind;
import io.jenkins.plugins.pgbackup.tools.ToolResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Applies the cluster's globals stored with a backup ({@code restoreGlobals}) to the target server before the backup
 * itself: read and checked (SHA-256) in full before anything is touched, prepared against the roles and tablespaces
 * the target already has ({@link GlobalsScript}), and run by a psql at least as new as the pg_dumpall that wrote them
 * (newer pg_dumpall writes {@code \restrict}, which older psql does not know) with {@code ON_ERROR_STOP}, in one
 * transaction unless a tablespace must be created.
 */
final class GlobalsRestore {
    /** A cluster's globals are a few kilobytes; thousands of roles are still far below this. */
    static final int MAX_SIZE = 64 * 1024 * 1024;

    /** Everything decided before the target server is touched. */
    record Plan(BackupObject object, GlobalsScript.Prepared script, ClientTool psql, ConnectionSpec connection) {}

    private GlobalsRestore() {}

    /**
     * Reads the globals stored with {@code dump}, prepares them for the target server and chooses psql; touches
     * nothing.
     *
     * @param targetExists whether the target database exists (psql connects to it, else to {@code postgres})
     * @throws RestoreException when the backup has no globals, they cannot be read, or no psql fits
     */
    static Plan plan(BackupSource source, BackupObject dump, ConnectionSpec target, boolean targetExists,
            ToolResolver resolver, List<String> identities, EngineLog log) throws RestoreException {
        BackupObject object = find(source, dump);
        String script = read(source, object, identities);
        ConnectionSpec connection = targetExists ? target : TargetDatabase.maintenance(target);
        GlobalsScript.Prepared prepared;
        try {
            requireSuperuser(connection);
            prepared = GlobalsScript.parse(script).prepare(TargetDatabase.roles(connection),
                    TargetDatabase.tablespaces(connection));
        } catch (SQLException e) {
            throw new RestoreException("Cannot read the target server's roles to apply the backup's globals: "
                    + e.getMessage() + "." + BackupTransfer.UNTOUCHED, "", false, null);
        }
        ClientTool psql = psql(resolver, producer(object));
        log.info("Globals s3://" + source.getBucket() + "/" + object.getKey() + " (" + object.getMetadata().getSize()
                + " bytes, pg_dumpall " + object.getMetadata().getPgDumpVersion() + "): " + describe(prepared)
                + "; psql " + psql.version() + " at " + psql.executable());
        return new Plan(object, prepared, psql, connection);
    }

    /**
     * pg_dumpall's {@code ALTER ROLE} sets every attribute, {@code NOSUPERUSER} included, which only a superuser may
     * (even a role with CREATEROLE gets "must be superuser to alter superuser roles or change superuser attribute"):
     * refuse at once rather than fail halfway.
     */
    private static void requireSuperuser(ConnectionSpec connection) throws SQLException, RestoreException {
        if (!TargetDatabase.isSuperuser(connection)) {
            throw new RestoreException("restoreGlobals needs a superuser on the target server: the globals set every "
                    + "role's attributes (SUPERUSER, REPLICATION, BYPASSRLS), which only superusers may; "
                    + connection.getUsername() + " is not one. Restore as a superuser, or without restoreGlobals "
                    + "(create the roles first, or use noOwner)." + BackupTransfer.UNTOUCHED);
        }
    }

    /** The globals stored with the backup, or why there are none. */
    static BackupObject find(BackupSource source, BackupObject dump) throws RestoreException {
        Optional<BackupObject> found;
        try {
            found = source.globals(dump.getKey());
        } catch (StorageException e) {
            throw new RestoreException("Cannot read the globals stored with the backup: " + e.getMessage() + "."
                    + BackupTransfer.UNTOUCHED, "", false, e);
        }
        return found.orElseThrow(() -> new RestoreException("restoreGlobals is set, but the backup " + dump.getKey()
                + " has no globals stored with it (it was taken without includeGlobals, or they were deleted). "
                + "Restore without restoreGlobals (create the roles the backup needs first, or restore with "
                + "noOwner), or restore a backup taken with includeGlobals." + BackupTransfer.UNTOUCHED));
    }

    /**
     * The script, in memory only: checked against its size and SHA-256 as it is read (the read throws on a mismatch)
     * and, when encrypted, decrypted on the way, so the plain globals never touch disk.
     */
    static String read(BackupSource source, BackupObject object, List<String> identities)
            throws RestoreException {
        if (object.getMetadata().getSize() > MAX_SIZE) {
            throw new RestoreException("The globals " + object.getKey() + " are " + object.getMetadata().getSize()
                    + " bytes, more than a cluster's roles and tablespaces can take; they are not applied."
                    + BackupTransfer.UNTOUCHED);
        }
        if (Decryption.isEncrypted(object)) {
            Decryption.requireIdentity(object, identities, "globals");
        }
        try (InputStream in = Decryption.content(source.openStream(object), object, identities)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RestoreException("Reading the globals " + object.getKey() + " failed: " + e.getMessage() + "."
                    + BackupTransfer.UNTOUCHED, "", false, e);
        }
    }

    private static PostgresVersion producer(BackupObject object) {
        String v = object.getMetadata().getPgDumpVersion();
        try {
            return v == null ? null : PostgresVersion.parse(v);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The newest installed psql that is at least as new as the pg_dumpall that wrote the globals (minor included). */
    static ClientTool psql(ToolResolver resolver, PostgresVersion producer) throws RestoreException {
        List<ClientTool> installed = resolver.installed(ToolKind.PSQL);
        Optional<ClientTool> chosen = installed.stream()
                .filter(t -> producer == null || t.version().compareTo(producer) >= 0)
                .max(Comparator.comparing(ClientTool::version));
        if (chosen.isPresent()) {
            return chosen.get();
        }
        String found = installed.isEmpty() ? "none is installed"
                : "found " + installed.stream().map(t -> t.version().toString()).collect(Collectors.joining(", "));
        throw new RestoreException("The globals were written by pg_dumpall " + producer + "; applying them needs a psql "
                + "at least as new (" + found + "). Install the PostgreSQL " + producer.majorLabel() + " client (its "
                + "latest minor release) or a newer one." + BackupTransfer.UNTOUCHED);
    }

    /**
     * Runs the prepared script with psql.
     *
     * @throws RestoreException when psql fails; in one transaction nothing of the globals stays
     */
    static void apply(RestoreRun run, Plan plan, EngineLog log) throws RestoreException, InterruptedException {
        GlobalsScript.Prepared p = plan.script();
        log.info("Applying the globals with psql " + plan.psql().version()
                + (p.transactional() ? " in one transaction" : " (not in one transaction: it creates tablespaces)"));
        byte[] script = p.script().getBytes(StandardCharsets.UTF_8);
        try {
            run.single("psql", command(plan), out -> out.write(script));
        } catch (RestoreException e) {
            String state = p.transactional() ? " Nothing of the globals was applied (they run in one transaction); "
                    + "the backup itself was not restored."
                    : " Some of the globals may have been applied; the backup itself was not restored.";
            throw new RestoreException("Applying the backup's globals failed: " + e.getMessage() + "." + state,
                    e.getStderrTail(), !p.transactional(), e);
        }
        if (!p.keptRoles().isEmpty()) {
            log.info("Roles the target server already had, kept as they are: " + String.join(", ", p.keptRoles()));
        }
        log.info("Globals applied: " + describe(p));
    }

    static List<String> command(Plan plan) {
        List<String> args = new ArrayList<>(List.of(plan.psql().executable().toString(), "--no-psqlrc", "--quiet",
                "--set=ON_ERROR_STOP=1"));
        if (plan.script().transactional()) {
            args.add("--single-transaction");
        }
        args.add("--file=-");
        args.addAll(LibpqArguments.connectionArguments(plan.connection()));
        return args;
    }

    static String describe(GlobalsScript.Prepared p) {
        return p.createdRoles().size() + " role(s) to create" + names(p.createdRoles()) + ", "
                + p.keptRoles().size() + " existing role(s) kept" + names(p.keptRoles())
                + (p.createdTablespaces().isEmpty() && p.keptTablespaces().isEmpty() ? ""
                        : ", " + p.createdTablespaces().size() + " tablespace(s) to create"
                                + names(p.createdTablespaces()) + ", " + p.keptTablespaces().size()
                                + " existing tablespace(s) kept" + names(p.keptTablespaces()));
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "" : " (" + String.join(", ", names) + ")";
    }
}
