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
    private static final long serialVersionUID = 2L;

    private final ToolKind kind;
    private final String executable;
    private final PostgresVersion version;
    private final String versionOutput;
    private final Compression compression;

    ClientTool(ToolKind kind, Path executable, PostgresVersion version, String versionOutput, Compression compression) {
        this.kind = kind;
        this.executable = executable.toString();
        this.version = Objects.requireNonNull(version);
        this.versionOutput = versionOutput;
        this.compression = Objects.requireNonNull(compression);
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
     * Whether {@code -Z gzip} (or a gzip level before 16) works: yes, no, or unknown when the probe could not tell.
     * For pg_restore and psql: what the pg_dump of the same directory, hence the same build, answered.
     */
    public Support gzip() {
        return compression.gzip();
    }

    /** Whether {@code -Z lz4} works: pg_dump 16 or newer built with lz4. */
    public Support lz4() {
        return compression.lz4();
    }

    /** Whether {@code -Z zstd} works: pg_dump 16 or newer built with zstd. */
    public Support zstd() {
        return compression.zstd();
    }

    /** Not known to lack gzip: a method the probe could not tell about is tried, and the tool itself says no. */
    public boolean supportsGzip() {
        return compression.gzip() != Support.NO;
    }

    /** Not known to lack lz4 (see {@link #supportsGzip()}). */
    public boolean supportsLz4() {
        return compression.lz4() != Support.NO;
    }

    /** Not known to lack zstd (see {@link #supportsGzip()}). */
    public boolean supportsZstd() {
        return compression.zstd() != Support.NO;
    }

    /**
     * What the tool said that made the probe answer no or unknown, in its own words ("lz4: pg_dump: error: this build
     * does not support compression with LZ4"); empty when every answer was yes.
     */
    public String compressionEvidence() {
        return compression.evidence();
    }

    /** "gzip yes, lz4 no, zstd unknown". */
    public String describeCompression() {
        return compression.describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientTool t && t.kind == kind && t.executable.equals(executable)
                && t.version.equals(version) && t.compression.equals(compression);
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

    /** What the probe learned about one method. */
    public enum Support {
        /** The tool accepted it. */
        YES,
        /** The tool refused it, in words the probe recognises. */
        NO,
        /** The tool's answer was neither: it is tried, and the tool's own refusal, if any, is reported. */
        UNKNOWN;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Compression methods a build supports, with what the tool said about those it did not plainly accept.
     * Serializable: it travels back to the controller with the tool.
     */
    record Compression(Support gzip, Support lz4, Support zstd, String evidence) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        static final Compression NONE = new Compression(Support.NO, Support.NO, Support.NO, "");

        Compression {
            Objects.requireNonNull(gzip);
            Objects.requireNonNull(lz4);
            Objects.requireNonNull(zstd);
            evidence = evidence == null ? "" : evidence;
        }

        String describe() {
            return "gzip " + gzip.word() + ", lz4 " + lz4.word() + ", zstd " + zstd.word();
        }
    }
}
