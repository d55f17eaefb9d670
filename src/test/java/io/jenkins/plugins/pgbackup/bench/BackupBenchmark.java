package io.jenkins.plugins.pgbackup.bench;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.PgPassFile;
import io.jenkins.plugins.pgbackup.signing.BackupSigner;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end backup (pg_dump streamed into a multipart upload to S3Proxy on disk) against the same pg_dump writing to
 * /dev/null, on a generated database, with where the CPU of each run went ({@link CpuAccounting}). Not a unit test:
 * run it with {@code bench/run-backup-benchmark.sh}; {@code BENCH_S3=process} runs S3Proxy in a JVM of its own.
 *
 * <p>Arguments: rows (8,000,000 ≈ 1 GB), repetitions (3), server major (17), compression ("zstd:3"), storage access
 * ("keys": the engine holds the keys; "signed": the controller's {@link BackupSigner} in this JVM, the engine with
 * settings without keys and presigned part URLs; "both": each repetition runs both, alternating which goes first).
 */
public final class BackupBenchmark {
    private BackupBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 8_000_000L;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int major = args.length > 2 ? Integer.parseInt(args[2]) : 17;
        String compression = args.length > 3 ? args[3] : "zstd:3";
        String access = args.length > 4 ? args[4] : "keys";
        List<String> modes = switch (access) {
            case "keys", "signed" -> List.of(access);
            case "both" -> List.of("keys", "signed");
            default -> throw new IllegalArgumentException("storage access: keys, signed or both, not " + access);
        };
        PostgresServers.Server server = PostgresServers.get(major);
        String db = "bench_" + rows;
        generate(server, db, rows);
        ConnectionSpec spec = server.spec(db);
        Path storeDir = Files.createTempDirectory("pgbackup-bench-s3");
        try (BenchStorage s3 = BenchStorage.start(storeDir)) {
            String bucket = s3.createBucket();
            long postmaster = postmasterPid(server);
            CpuAccounting cpu = new CpuAccounting(postmaster, s3.pid());
            if (Boolean.getBoolean("bench.pin")) {
                pinServices(postmaster, s3.pid());
            }
            List<Double> raw = new ArrayList<>();
            java.util.Map<String, List<Double>> e2e = new java.util.LinkedHashMap<>();
            java.util.Map<String, List<Double>> finish = new java.util.LinkedHashMap<>();
            List<CpuAccounting.Snapshot> rawCpu = new ArrayList<>();
            java.util.Map<String, List<CpuAccounting.Snapshot>> e2eCpu = new java.util.LinkedHashMap<>();
            for (String mode : modes) {
                e2e.put(mode, new ArrayList<>());
                finish.put(mode, new ArrayList<>());
                e2eCpu.put(mode, new ArrayList<>());
            }
            long peakHeap = 0;
            long size = 0;
            for (int i = 0; i < reps; i++) {
                CpuAccounting.Snapshot before = cpu.snapshot();
                raw.add(rawDump(spec, major, compression));
                rawCpu.add(cpu.settled().minus(before));
                List<String> order = new ArrayList<>(modes);
                if (i % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (String mode : order) {
                    resetPeaks();
                    FinishLog log = new FinishLog();
                    before = cpu.snapshot();
                    long start = System.nanoTime();
                    BackupResult r = backup(mode, spec, s3.settings(bucket, "bench"), compression, log);
                    e2e.get(mode).add((System.nanoTime() - start) / 1e9);
                    e2eCpu.get(mode).add(cpu.settled().minus(before));
                    finish.get(mode).add(log.finishMillis / 1e3);
                    peakHeap = Math.max(peakHeap, peakHeapUsed());
                    size = r.getSize();
                    s3.client().deleteObject(b -> b.bucket(bucket).key(r.getKey()));
                    s3.client().deleteObject(b -> b.bucket(bucket).key(r.getKey() + ".manifest.json"));
                    Thread.sleep(1100); // keys name the second
                }
            }
            System.out.println("S3Proxy " + s3.where());
            for (String mode : modes) {
                System.out.println("== storage access: " + mode);
                report(rows, databaseSize(server, db), size, compression, raw, e2e.get(mode), peakHeap);
                System.out.printf(Locale.ROOT, "after pg_dump's output ended: last parts + complete + HEAD + manifest "
                        + "(s): %s, median %.3f%n", finish.get(mode), median(finish.get(mode)));
                for (int i = 0; i < reps; i++) {
                    System.out.printf(Locale.ROOT, "CPU, run %d: raw: %s%n            end to end: %s%n", i + 1,
                            rawCpu.get(i).describe(), e2eCpu.get(mode).get(i).describe());
                }
            }
        }
        System.exit(0);
    }

    /**
     * One backup: with the keys in the engine, or signed: the controller's signer (in this JVM, so without the
     * channel's latency, which is paid once per batch of 32 parts) and the engine with settings without keys.
     */
    private static BackupResult backup(String mode, ConnectionSpec spec, StorageSettings keys, String compression,
            EngineLog log) throws Exception {
        boolean signed = mode.equals("signed");
        try (BackupSigner signer = signed ? new BackupSigner(keys, spec.getDatabase()) : null) {
            BackupRequest.Builder b = BackupRequest.builder(spec, signed ? keys.withoutKeys() : keys)
                    .compression(Compression.parse(compression))
                    .toolLocations(ToolLocations.of(List.of(), List.of(PgClients.root().toString()), List.of()));
            if (signed) {
                b.grant(signer);
            }
            return new BackupEngine().run(b.build(), log);
        }
    }

    static void generate(PostgresServers.Server server, String db, long rows) throws Exception {
        server.createDatabase(db);
        Path script = Path.of("bench", "generate-database.sql").toAbsolutePath();
        long start = System.nanoTime();
        try (PgPassFile pgpass = PgPassFile.create(server.spec(db))) {
            List<String> cmd = new ArrayList<>(List.of(PgClients.tool(17, "psql").toString(), "-X", "-q",
                    "-v", "ON_ERROR_STOP=1", "-v", "rows=" + rows, "-f", script.toString()));
            cmd.addAll(LibpqArguments.connectionArguments(server.spec(db)));
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            pb.environment().putAll(pgpass.environment());
            if (pb.start().waitFor() != 0) {
                throw new IllegalStateException("generating the database failed");
            }
        }
        System.err.printf(Locale.ROOT, "generated %,d rows in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
    }

    /**
     * {@code -Dbench.pin=true}, with this JVM started under {@code taskset -c 0}: moves the PostgreSQL server (every
     * process of it; backends forked later inherit the postmaster's CPU) and S3Proxy's own JVM to CPU 1, so that the
     * agent's side (pg_dump and the plugin) has CPU 0 to itself as it would on an agent with remote services.
     */
    private static void pinServices(long postmaster, long s3) throws Exception {
        List<Long> pids = new ArrayList<>(List.of(postmaster));
        ProcessHandle.of(postmaster).ifPresent(p -> p.children().forEach(c -> pids.add(c.pid())));
        if (s3 > 0) {
            pids.add(s3);
        }
        for (long pid : pids) {
            if (new ProcessBuilder("taskset", "-a", "-c", "-p", "1", Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() != 0) {
                throw new IllegalStateException("taskset failed for " + pid);
            }
        }
        System.out.println("Pinned: this JVM and pg_dump to CPU 0 (taskset), the PostgreSQL server and S3Proxy to CPU 1");
    }

    /** The postmaster is the parent of every backend, this connection's included. */
    static long postmasterPid(PostgresServers.Server server) throws Exception {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return CpuAccounting.parentOf(rs.getLong(1));
        }
    }

    private static double rawDump(ConnectionSpec spec, int major, String compression) throws Exception {
        int client = PgClients.MAJORS.stream().filter(m -> m >= major).findFirst().orElseThrow();
        try (PgPassFile pgpass = PgPassFile.create(spec)) {
            List<String> cmd = new ArrayList<>(List.of(PgClients.tool(client, "pg_dump").toString(), "--format=c",
                    Compression.parse(compression).pgDumpArgument(client)));
            cmd.addAll(LibpqArguments.connectionArguments(spec));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(new File("/dev/null"))
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().putAll(pgpass.environment());
            long start = System.nanoTime();
            if (pb.start().waitFor() != 0) {
                throw new IllegalStateException("pg_dump failed");
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap used during the run (S3Proxy's included). */
    private static long peakHeapUsed() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    static long databaseSize(PostgresServers.Server server, String db) throws Exception {
        try (Connection c = server.connect(db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Picks the engine's "manifest … written N ms after the dump's output ended" line out of the log. */
    private static final class FinishLog implements EngineLog {
        private static final Pattern FINISHED = Pattern.compile("written (\\d+) ms after the dump's output ended");
        private long finishMillis = -1;

        @Override
        public void info(String line) {
            Matcher m = FINISHED.matcher(line);
            if (m.find()) {
                finishMillis = Long.parseLong(m.group(1));
            }
        }

        @Override
        public void warn(String line) {
            System.err.println("WARNING: " + line);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void report(long rows, long dbSize, long dumpSize, String compression, List<Double> raw,
            List<Double> e2e, long peakHeap) {
        double rawMin = raw.stream().mapToDouble(d -> d).min().orElseThrow();
        double e2eMin = e2e.stream().mapToDouble(d -> d).min().orElseThrow();
        System.out.printf(Locale.ROOT, "rows=%d database=%.1fMB dump=%.1fMB compression=%s%n", rows, dbSize / 1e6,
                dumpSize / 1e6, compression);
        System.out.printf(Locale.ROOT, "raw pg_dump to /dev/null (s): %s%n", raw);
        System.out.printf(Locale.ROOT, "end-to-end backup to S3Proxy (s): %s%n", e2e);
        System.out.printf(Locale.ROOT, "best raw %.2f s, best end-to-end %.2f s, ratio %.3f%n", rawMin, e2eMin,
                e2eMin / rawMin);
        System.out.printf(Locale.ROOT, "median raw %.2f s, median end-to-end %.2f s, ratio %.3f%n", median(raw),
                median(e2e), median(e2e) / median(raw));
        System.out.printf(Locale.ROOT, "peak heap used during the backups (JVM incl. S3Proxy): %.1f MB (max heap %.0f MB)%n",
                peakHeap / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
    }
}
