package io.jenkins.plugins.pgbackup.tools;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An installed client program as probed on the machine that runs it: where it is, what {@code --version} said, and
 * which compression methods its build supports. Serializable, so the result can travel back to the controller.
 */
public final class ClientTool implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final ToolKind kind;
    private final String executable;
    private final PostgresVersion version;
    private final String versionOutput;
    private final boolean gzip;
    private final boolean lz4;
    private final boolean zstd;

    ClientTool(ToolKind kind, Path executable, PostgresVersion version, String versionOutput, Compression compression) {
        this.kind = kind;
        this.executable = executable.toString();
        this.version = Objects.requireNonNull(version);
        this.versionOutput = versionOutput;
        this.gzip = compression.gzip();
        this.lz4 = compression.lz4();
        this.zstd = compression.zstd();
    }

    public ToolKind kind() {
        return kind;
    }

    /** The program to run. */
    public Path executable() {
        return Path.of(executable);
    }

    /** The directory holding it (and, usually, the other client programs of the same version). */
    public Path binDir() {
        return Path.of(executable).getParent();
    }

    /** The version the program reports, not the one its path suggests. */
    public PostgresVersion version() {
        return version;
    }

    /** Its {@code --version} line: "pg_dump (PostgreSQL) 17.6 (Debian 17.6-1.pgdg12+1)". */
    public String versionOutput() {
        return versionOutput;
    }

    /**
     * Whether {@code -Z gzip} (or a gzip level before 16) works. For pg_restore and psql: whether the pg_dump of the
     * same directory, hence the same build, supports it.
     */
    public boolean supportsGzip() {
        return gzip;
    }

    /** Whether {@code -Z lz4} works: pg_dump 16 or newer built with lz4. */
    public boolean supportsLz4() {
        return lz4;
    }

    /** Whether {@code -Z zstd} works: pg_dump 16 or newer built with zstd. */
    public boolean supportsZstd() {
        return zstd;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientTool t && t.kind == kind && t.executable.equals(executable)
                && t.version.equals(version) && t.gzip == gzip && t.lz4 == lz4 && t.zstd == zstd;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, executable, version);
    }

    /** "pg_dump 17.6 at /usr/lib/postgresql/17/bin/pg_dump". */
    @Override
    public String toString() {
        return kind.command() + " " + version + " at " + executable;
    }

    /** Compression methods a build supports. */
    record Compression(boolean gzip, boolean lz4, boolean zstd) {
        static final Compression NONE = new Compression(false, false, false);

        String describe() {
            return "gzip " + (gzip ? "yes" : "no") + ", lz4 " + (lz4 ? "yes" : "no") + ", zstd " + (zstd ? "yes" : "no");
        }
    }
}
