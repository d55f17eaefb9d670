package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The argument lists of the restore's programs. The password is never among them (it is in the PGPASSFILE). */
final class RestoreCommands {
    private final RestoreRequest request;
    private final BackupContent content;
    private final BackupTransfer.Staged staged;
    private final int jobs;

    RestoreCommands(RestoreRequest request, BackupContent content, BackupTransfer.Staged staged, int jobs) {
        this.request = request;
        this.content = content;
        this.staged = staged;
        this.jobs = jobs;
    }

    /** {@code pg_restore --exit-on-error [options] [--jobs=N] <connection> [file]}: straight into the database. */
    List<String> pgRestore(Path executable) {
        List<String> args = archiveOptions(executable);
        if (jobs > 1) {
            args.add("--jobs=" + jobs);
        }
        args.addAll(LibpqArguments.connectionArguments(request.getTarget()));
        addInput(args);
        return args;
    }

    /**
     * {@code pg_restore --exit-on-error [options] --file=- [file]}: the same restore as a script on stdout, for psql.
     * With a single transaction, pg_restore wraps the script in one {@code BEGIN}/{@code COMMIT} itself and writes no
     * other (psql's own {@code --single-transaction} would be ended by the script's large-object transactions).
     */
    List<String> pgRestoreScript(Path executable) {
        List<String> args = archiveOptions(executable);
        args.add("--file=-");
        addInput(args);
        return args;
    }

    private List<String> archiveOptions(Path executable) {
        List<String> args = new ArrayList<>(List.of(executable.toString(), "--exit-on-error",
                "--format=" + content.format().id()));
        if (request.isClean()) {
            args.add("--clean");
            args.add("--if-exists");
        }
        if (request.isNoOwner()) {
            args.add("--no-owner");
        }
        if (request.isNoAcl()) {
            args.add("--no-acl");
        }
        if (request.isSingleTransaction()) {
            args.add("--single-transaction");
        }
        return args;
    }

    private void addInput(List<String> args) {
        if (staged.path() != null) {
            args.add(staged.path().toString());
        }
    }

    /**
     * {@code psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 [--single-transaction] --file=- <connection>}.
     *
     * @param plainScript whether psql runs the backup itself (a single transaction is then psql's), rather than what
     *     pg_restore wrote (which brings its own)
     */
    List<String> psql(Path executable, boolean plainScript) {
        List<String> args = new ArrayList<>(List.of(executable.toString(), "--no-psqlrc", "--quiet",
                "--set=ON_ERROR_STOP=1"));
        if (plainScript && request.isSingleTransaction()) {
            args.add("--single-transaction");
        }
        args.add("--file=-");
        args.addAll(LibpqArguments.connectionArguments(request.getTarget()));
        return args;
    }

    /** {@code zstd -d -c -q} or {@code lz4 -d -c -q}: stdin to stdout. */
    List<String> decompressor(Path executable) {
        return List.of(executable.toString(), "-d", "-c", "-q");
    }
}
