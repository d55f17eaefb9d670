package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveFormat;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveHeader;
import io.jenkins.plugins.pgbackup.restore.archive.ArchiveVersions;
import io.jenkins.plugins.pgbackup.restore.archive.CompressionAlgorithm;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which installed client restores a dump, and why: pure policy, no I/O.
 *
 * <ul>
 *   <li>pg_restore (psql for plain scripts) must be at least the major of the pg_dump that wrote the dump, and able to
 *       read its archive version: pg_restore 15 refuses archive 1.16 ("unsupported version (1.16) in file header").
 *   <li>Its build must have the archive's compression (zstd, lz4, gzip).
 *   <li>Plain scripts from pg_dump 17.6, 16.10, 15.14, 14.19, 13.22, 18 and later open with {@code \restrict}: psql
 *       must know that meta-command, which the same releases added.
 *   <li>Among the clients that can, the target server's own major is preferred, then the newest older one, then the
 *       oldest newer one; with the target unknown, the oldest that can (nearest the pg_dump that wrote the dump).
 *   <li>Clients 17 and newer write {@code SET transaction_timeout = 0;}, which servers before 17 reject: when that
 *       happens, {@link #filterTransactionTimeout()} says so and the restore must run as
 *       {@code pg_restore -f - | filter | psql} with the chosen client's own psql.
 * </ul>
 *
 * @param <C> the caller's client type, handed back by {@link #client()}
 */
public final class ToolChoice<C extends ToolChoice.Client> {

    /** The first release of each major whose pg_dump writes, and whose psql understands, {@code \restrict}. */
    private static final int[][] RESTRICT_SINCE = {{13, 22}, {14, 19}, {15, 14}, {16, 10}, {17, 6}, {18, 0}};

    /** The first major whose clients emit {@code SET transaction_timeout}. */
    static final int TRANSACTION_TIMEOUT_MAJOR = 17;

    /** What the policy needs to know of an installed client: one installation's pg_restore and psql. */
    public interface Client {
        /** The version {@code pg_restore --version} prints. */
        PostgresVersion version();

        /** Whether the installation was built with that compression ({@code NONE} always is). */
        boolean supports(CompressionAlgorithm algorithm);
    }

    /** A client described by value, for callers without a client type of their own. */
    public record InstalledClient(PostgresVersion version, boolean gzip, boolean lz4, boolean zstd)
            implements Client, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        public InstalledClient {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public boolean supports(CompressionAlgorithm algorithm) {
            return switch (algorithm) {
                case NONE -> true;
                case GZIP -> gzip;
                case LZ4 -> lz4;
                case ZSTD -> zstd;
            };
        }

        @Override
        public String toString() {
            return version.toString();
        }
    }

    /** The program that reads the dump. */
    public enum Tool {
        PG_RESTORE("pg_restore"),
        PSQL("psql");

        private final String command;

        Tool(String command) {
            this.command = command;
        }

        /** The executable's name. */
        public String command() {
            return command;
        }
    }

    /** What the policy needs to know of the dump, from its header and, failing that, its object metadata. */
    public static final class Dump implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final ArchiveFormat format;
        private final int archiveMajor;
        private final int archiveMinor;
        private final PostgresVersion pgDumpVersion;
        private final CompressionAlgorithm compression;
        private final boolean restrictCommand;

        private Dump(ArchiveFormat format, int archiveMajor, int archiveMinor, PostgresVersion pgDumpVersion,
                CompressionAlgorithm compression, boolean restrictCommand) {
            this.format = Objects.requireNonNull(format, "format");
            this.archiveMajor = archiveMajor;
            this.archiveMinor = archiveMinor;
            this.pgDumpVersion = pgDumpVersion;
            this.compression = compression == null ? CompressionAlgorithm.NONE : compression;
            this.restrictCommand = restrictCommand;
        }

        /** From a parsed header. */
        public static Dump of(ArchiveHeader header) {
            if (header.isArchive()) {
                return archive(header.format(), header.versionMajor(), header.versionMinor(), header.pgDumpVersion(),
                        header.compression());
            }
            return plain(header.pgDumpVersion(), header.usesRestrictCommand(), header.compression());
        }

        /**
         * A custom, tar or directory archive.
         *
         * @param pgDumpVersion the pg_dump that wrote it, {@code null} if unknown
         */
        public static Dump archive(ArchiveFormat format, int archiveMajor, int archiveMinor,
                PostgresVersion pgDumpVersion, CompressionAlgorithm compression) {
            if (format == ArchiveFormat.PLAIN) {
                throw new IllegalArgumentException("a plain script is not an archive; use Dump.plain");
            }
            return new Dump(format, archiveMajor, archiveMinor, pgDumpVersion, compression, false);
        }

        /**
         * A plain script.
         *
         * @param pgDumpVersion the pg_dump that wrote it, {@code null} if unknown
         * @param restrictCommand whether the script was seen to contain {@code \restrict}
         * @param compression the compression of the whole script, which the caller undoes before psql
         */
        public static Dump plain(PostgresVersion pgDumpVersion, boolean restrictCommand,
                CompressionAlgorithm compression) {
            return new Dump(ArchiveFormat.PLAIN, 0, 0, pgDumpVersion, compression, restrictCommand);
        }

        public boolean isPlain() {
            return format == ArchiveFormat.PLAIN;
        }

        /** Whether the script needs a psql that knows {@code \restrict}: seen in it, or implied by its pg_dump. */
        public boolean needsRestrictCommand() {
            return isPlain() && (restrictCommand || (pgDumpVersion != null && knowsRestrictCommand(pgDumpVersion)));
        }

        /** "custom archive 1.16 (zstd) written by pg_dump 17.6", "plain script with \restrict written by pg_dump 16.10". */
        String describe() {
            StringBuilder s = new StringBuilder(format.id());
            s.append(isPlain() ? " script" : " archive " + archiveMajor + "." + archiveMinor);
            if (compression != CompressionAlgorithm.NONE) {
                s.append(" (").append(compression.id()).append(')');
            }
            if (needsRestrictCommand()) {
                s.append(" with \\restrict");
            }
            s.append(pgDumpVersion == null ? " from an unknown pg_dump" : " written by pg_dump " + pgDumpVersion);
            return s.toString();
        }
    }

    private final Tool tool;
    private final C client;
    private final int requiredMajor;
    private final boolean filterTransactionTimeout;
    private final String explanation;
    private final String installHint;

    private ToolChoice(Tool tool, C client, int requiredMajor, boolean filterTransactionTimeout, String explanation,
            String installHint) {
        this.tool = tool;
        this.client = client;
        this.requiredMajor = requiredMajor;
        this.filterTransactionTimeout = filterTransactionTimeout;
        this.explanation = explanation;
        this.installHint = installHint;
    }

    /**
     * Chooses the client that restores {@code dump} into a server of version {@code target}.
     *
     * @param target the target server's version, {@code null} if unknown
     * @param clients the installed clients, in any order
     * @return the choice; when no client fits, {@link #isPossible()} is false and {@link #explanation()} says why and
     *     what to install
     */
    public static <C extends Client> ToolChoice<C> choose(Dump dump, PostgresVersion target, List<C> clients) {
        Objects.requireNonNull(dump, "dump");
        Tool tool = dump.isPlain() ? Tool.PSQL : Tool.PG_RESTORE;
        Requirement req = Requirement.of(dump, tool);
        List<String> passedOver = new ArrayList<>();
        List<C> eligible = new ArrayList<>();
        for (C c : clients) {
            String why = req.rejection(c);
            if (why == null) {
                eligible.add(c);
            } else {
                passedOver.add(c.version() + " (" + why + ")");
            }
        }
        Optional<C> best = prefer(eligible, target);
        if (req.unknownArchive != null || best.isEmpty()) {
            return impossible(dump, tool, target, req, passedOver, clients.isEmpty());
        }
        C chosen = best.get();
        boolean filter = needsFilter(dump, chosen, target);
        String why = success(dump, tool, target, req, chosen, filter, passedOver);
        return new ToolChoice<>(tool, chosen, req.major, filter, why, null);
    }

    /** The first release of {@code major} whose pg_dump writes and psql reads {@code \restrict}; null before 13. */
    public static PostgresVersion restrictCommandSince(int major) {
        if (major > RESTRICT_SINCE[RESTRICT_SINCE.length - 1][0]) {
            return PostgresVersion.ofMajor(major);
        }
        for (int[] r : RESTRICT_SINCE) {
            if (r[0] == major) {
                return PostgresVersion.parse(r[0] + "." + r[1]);
            }
        }
        return null;
    }

    /** Whether this pg_dump writes, or this psql understands, the {@code \restrict} meta-command. */
    public static boolean knowsRestrictCommand(PostgresVersion v) {
        PostgresVersion since = restrictCommandSince(v.major());
        return since != null && v.compareTo(since) >= 0;
    }

    private static <C extends Client> Optional<C> prefer(List<C> eligible, PostgresVersion target) {
        Comparator<C> byVersion = Comparator.comparing(Client::version);
        if (target == null) {
            int lowest = eligible.stream().mapToInt(c -> c.version().majorOrdinal()).min().orElse(-1);
            return eligible.stream().filter(c -> c.version().majorOrdinal() == lowest).max(byVersion);
        }
        int t = target.majorOrdinal();
        Optional<C> same = eligible.stream().filter(c -> c.version().majorOrdinal() == t).max(byVersion);
        if (same.isPresent()) {
            return same;
        }
        Optional<C> older = eligible.stream().filter(c -> c.version().majorOrdinal() < t).max(byVersion);
        if (older.isPresent()) {
            return older;
        }
        int lowestNewer = eligible.stream().mapToInt(c -> c.version().majorOrdinal()).min().orElse(-1);
        return eligible.stream().filter(c -> c.version().majorOrdinal() == lowestNewer).max(byVersion);
    }

    /**
     * pg_restore writes the SET itself, so its own major decides; a plain script carries the SET of the pg_dump that
     * wrote it (and when that is unknown, psql's major stands in: filtering a statement that is absent costs nothing).
     */
    private static boolean needsFilter(Dump dump, Client chosen, PostgresVersion target) {
        if (target == null || target.major() >= TRANSACTION_TIMEOUT_MAJOR) {
            return false;
        }
        int writer = dump.isPlain() && dump.pgDumpVersion != null ? dump.pgDumpVersion.major() : chosen.version().major();
        return writer >= TRANSACTION_TIMEOUT_MAJOR;
    }

    private static String success(Dump dump, Tool tool, PostgresVersion target, Requirement req, Client chosen,
            boolean filter, List<String> passedOver) {
        StringBuilder s = new StringBuilder();
        s.append(tool.command()).append(' ').append(chosen.version()).append(" restores the ").append(dump.describe())
                .append(": ").append(req.reason).append('.');
        s.append(' ').append(preference(target, chosen)).append('.');
        if (filter) {
            s.append(" The target server ").append(target).append(" is older than ").append(TRANSACTION_TIMEOUT_MAJOR)
                    .append(" and rejects the \"SET transaction_timeout = 0;\" that ")
                    .append(dump.isPlain() ? "the script holds" : tool.command() + " " + chosen.version().major()
                            + " writes")
                    .append(": that statement must be filtered out (pg_restore -f - | filter | psql, with the psql of "
                            + "the same client).");
        } else if (target == null && chosen.version().major() >= TRANSACTION_TIMEOUT_MAJOR) {
            s.append(" The target server's version is unknown: if it is older than ").append(TRANSACTION_TIMEOUT_MAJOR)
                    .append(", it will reject \"SET transaction_timeout = 0;\".");
        }
        if (dump.isPlain() && (dump.compression == CompressionAlgorithm.LZ4
                || dump.compression == CompressionAlgorithm.ZSTD)) {
            s.append(" The script is ").append(dump.compression.id())
                    .append("-compressed as a whole: psql reads it only once decompressed.");
        }
        if (!passedOver.isEmpty()) {
            s.append(" Not chosen: ").append(String.join(", ", passedOver)).append('.');
        }
        return s.toString();
    }

    private static String preference(PostgresVersion target, Client chosen) {
        if (target == null) {
            return "The target server's version is unknown, so the oldest client that can is used, nearest the pg_dump "
                    + "that wrote the dump";
        }
        int c = chosen.version().majorOrdinal();
        int t = target.majorOrdinal();
        if (c == t) {
            return "It is the target server's own major (" + target.majorLabel() + ")";
        }
        return c < t ? "No usable client has the target server's major (" + target.majorLabel()
                + "); this is the newest older one, which restores into a newer server"
                : "No usable client has the target server's major (" + target.majorLabel()
                        + ") or an older one; this is the oldest newer one";
    }

    private static <C extends Client> ToolChoice<C> impossible(Dump dump, Tool tool, PostgresVersion target,
            Requirement req, List<String> passedOver, boolean none) {
        int major = req.major;
        if (target != null && target.major() > major) {
            major = target.major();
        }
        String hint = installHint(dump, req, major);
        StringBuilder s = new StringBuilder("No installed PostgreSQL client can restore the ").append(dump.describe());
        if (target != null) {
            s.append(" into server ").append(target);
        }
        s.append(": ");
        if (req.unknownArchive != null) {
            s.append(req.unknownArchive);
        } else {
            s.append(req.reason).append(". ");
            s.append(none ? "This agent has no PostgreSQL client at all."
                    : "Installed: " + String.join(", ", passedOver) + ".");
        }
        s.append(' ').append(hint);
        return new ToolChoice<>(tool, null, req.major, false, s.toString(), hint);
    }

    private static String installHint(Dump dump, Requirement req, int major) {
        if (req.unknownArchive != null) {
            return "Install the postgresql-client of the pg_dump that wrote it.";
        }
        StringBuilder s = new StringBuilder("Install postgresql-client-").append(major);
        if (dump.needsRestrictCommand() && restrictCommandSince(major) != null
                && restrictCommandSince(major).versionNum() % 10000 > 0) {
            s.append(" (").append(restrictCommandSince(major)).append(" or later)");
        }
        if (!dump.isPlain() && dump.compression != CompressionAlgorithm.NONE) {
            s.append(", built with ").append(dump.compression.id())
                    .append(" (the apt.postgresql.org and Debian packages are)");
        }
        return s.append(" on the agent.").toString();
    }

    /** Whether a client was found. */
    public boolean isPossible() {
        return client != null;
    }

    /** pg_restore for archives, psql for plain scripts (also when no client fits). */
    public Tool tool() {
        return tool;
    }

    /** The chosen client, {@code null} when none fits. */
    public C client() {
        return client;
    }

    /** The oldest client major the dump allows (0 when anything does). */
    public int requiredMajor() {
        return requiredMajor;
    }

    /** Whether {@code SET transaction_timeout = 0;} must be filtered out between pg_restore and psql. */
    public boolean filterTransactionTimeout() {
        return filterTransactionTimeout;
    }

    /** Why this client, or why none: for the build log and the restore result. */
    public String explanation() {
        return explanation;
    }

    /** What to install when no client fits ("Install postgresql-client-17 on the agent."); {@code null} otherwise. */
    public String installHint() {
        return installHint;
    }

    @Override
    public String toString() {
        return explanation;
    }

    /** What a client must be for this dump. */
    private static final class Requirement {
        private final Dump dump;
        private final Tool tool;
        private final int major;
        private final String reason;
        private final String unknownArchive;

        private Requirement(Dump dump, Tool tool, int major, String reason, String unknownArchive) {
            this.dump = dump;
            this.tool = tool;
            this.major = major;
            this.reason = reason;
            this.unknownArchive = unknownArchive;
        }

        static Requirement of(Dump dump, Tool tool) {
            int writer = dump.pgDumpVersion == null ? 0 : dump.pgDumpVersion.major();
            if (dump.isPlain()) {
                String reason = writer == 0 ? "the pg_dump that wrote it is unknown, so any psql may try"
                        : "psql must be at least " + writer + ", the major of the pg_dump that wrote it";
                if (dump.needsRestrictCommand()) {
                    reason += ", and know \\restrict (13.22, 14.19, 15.14, 16.10, 17.6, 18 and later)";
                }
                return new Requirement(dump, tool, writer, reason, null);
            }
            int reader = ArchiveVersions.firstReaderMajor(dump.archiveMajor, dump.archiveMinor);
            String version = dump.archiveMajor + "." + dump.archiveMinor;
            if (reader < 0 && writer == 0) {
                return new Requirement(dump, tool, 0, "", "archive version " + version
                        + " is newer than this plugin knows, and the archive does not say which pg_dump wrote it.");
            }
            int major = Math.max(Math.max(reader, writer), 0);
            List<String> why = new ArrayList<>();
            if (reader > 0) {
                why.add(reader > 12 ? "pg_restore " + (reader - 1) + " and older refuse archive " + version
                        : "every pg_restore this plugin supports reads archive " + version);
            } else if (reader < 0) {
                why.add("archive " + version + " is newer than this plugin knows");
            }
            if (writer > 0) {
                why.add("the archive was written by pg_dump " + dump.pgDumpVersion);
            }
            String reason = "pg_restore must be at least " + major
                    + (why.isEmpty() ? "" : " (" + why.stream().collect(Collectors.joining("; ")) + ")");
            if (dump.compression != CompressionAlgorithm.NONE) {
                reason += " and built with " + dump.compression.id();
            }
            return new Requirement(dump, tool, major, reason, null);
        }

        /** Why this client cannot restore the dump, or {@code null} when it can. */
        String rejection(Client c) {
            PostgresVersion v = c.version();
            if (v.major() < major) {
                return "older than " + major;
            }
            if (!dump.isPlain() && !c.supports(dump.compression)) {
                return "built without " + dump.compression.id();
            }
            if (tool == Tool.PSQL && dump.needsRestrictCommand() && !knowsRestrictCommand(v)) {
                PostgresVersion since = restrictCommandSince(v.major());
                return since == null ? "psql " + v.majorLabel() + " has no \\restrict"
                        : "predates \\restrict, added in " + since;
            }
            return null;
        }
    }
}
