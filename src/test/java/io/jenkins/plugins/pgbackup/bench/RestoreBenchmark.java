package io.jenkins.plugins.pgbackup.bench;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.LibpqArguments;
import io.jenkins.plugins.pgbackup.process.PgPassFile;
import io.jenkins.plugins.pgbackup.restore.RestoreEngine;
import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import io.jenkins.plugins.pgbackup.restore.RestoreResult;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end restore (verification pass, then pg_restore fed from S3Proxy on disk) against the same pg_restore reading
 * the same archive from a local file, into a fresh database each time. Not a unit test: run it with
 * {@code bench/run-restore-benchmark.sh}.
 *
 * <p>Arguments: rows (8,000,000 ≈ 1 GB), repetitions (3), server major (17), compression ("zstd:3").
 */
public final class RestoreBenchmark {
    private RestoreBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 8_000_000L;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int major = args.length > 2 ? Integer.parseInt(args[2]) : 17;
        String compression = args.length > 3 ? args[3] : "zstd:3";
        PostgresServers.Server server = PostgresServers.get(major);
        String db = "bench_" + rows;
        BackupBenchmark.generate(server, db, rows);
        ToolLocations clients = ToolLocations.of(List.of(), List.of(PgClients.root().toString()), List.of());
        Path work = Files.createTempDirectory("pgbackup-restore-bench");
        try (S3ProxyServer s3 = S3ProxyServer.onDisk(work.resolve("s3"))) {
            String bucket = s3.createBucket();
            BackupResult backup = new BackupEngine().run(BackupRequest.builder(server.spec(db),
                    s3.settings(bucket, "bench")).compression(Compression.parse(compression)).toolLocations(clients)
                    .build(), EngineLog.none());
            Path archive = work.resolve("archive.dump");
            s3.client().getObject(b -> b.bucket(bucket).key(backup.getKey()), archive);
            List<Double> raw = new ArrayList<>();
            List<Double> e2e = new ArrayList<>();
            String tool = "";
            for (int i = 0; i < reps; i++) {
                raw.add(rawRestore(server, archive, "bench_raw_" + i));
                String target = "bench_e2e_" + i;
                server.createDatabase(target);
                long start = System.nanoTime();
                RecordingLog log = new RecordingLog();
                RestoreResult r = new RestoreEngine().run(RestoreRequest.builder(server.spec(target),
                        s3.settings(bucket, "bench")).key(backup.getKey()).toolLocations(clients).build(), log);
                e2e.add((System.nanoTime() - start) / 1e9);
                log.lines().stream().filter(l -> l.contains("Verified ")).forEach(System.out::println);
                tool = r.getTool() + " " + r.getToolVersion() + ", " + r.getTransfer();
                drop(server, target);
            }
            report(rows, BackupBenchmark.databaseSize(server, db), backup.getSize(), compression, tool, raw, e2e);
        }
        System.exit(0);
    }

    /** The same pg_restore the engine chooses, reading the local file, into a fresh database. */
    private static double rawRestore(PostgresServers.Server server, Path archive, String target) throws Exception {
        server.createDatabase(target);
        ConnectionSpec spec = server.spec(target);
        try (PgPassFile pgpass = PgPassFile.create(spec)) {
            List<String> cmd = new ArrayList<>(List.of(PgClients.tool(server.major(), "pg_restore").toString(),
                    "--exit-on-error", "--format=custom"));
            cmd.addAll(LibpqArguments.connectionArguments(spec));
            cmd.add(archive.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            pb.environment().putAll(pgpass.environment());
            long start = System.nanoTime();
            if (pb.start().waitFor() != 0) {
                throw new IllegalStateException("pg_restore failed");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            drop(server, target);
            return seconds;
        }
    }

    private static void drop(PostgresServers.Server server, String db) throws Exception {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE \"" + db + "\"");
        }
    }

    private static void report(long rows, long dbSize, long dumpSize, String compression, String tool,
            List<Double> raw, List<Double> e2e) {
        double rawMin = raw.stream().mapToDouble(d -> d).min().orElseThrow();
        double e2eMin = e2e.stream().mapToDouble(d -> d).min().orElseThrow();
        System.out.printf(Locale.ROOT, "rows=%d database=%.1fMB dump=%.1fMB compression=%s tool=%s%n", rows,
                dbSize / 1e6, dumpSize / 1e6, compression, tool);
        System.out.printf(Locale.ROOT, "raw pg_restore from a local file (s): %s%n", raw);
        System.out.printf(Locale.ROOT, "end-to-end restore from S3Proxy (s): %s%n", e2e);
        System.out.printf(Locale.ROOT, "best raw %.2f s, best end-to-end %.2f s, ratio %.3f%n", rawMin, e2eMin,
                e2eMin / rawMin);
    }
}
