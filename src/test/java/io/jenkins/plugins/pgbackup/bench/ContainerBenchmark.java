package io.jenkins.plugins.pgbackup.bench;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.process.PipedProcessStarter;
import io.jenkins.plugins.pgbackup.process.ProcessStarter;
import io.jenkins.plugins.pgbackup.testing.ContainerLikeLauncher;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cost of running the clients "in a container" ({@link PipedProcessStarter} with {@link ContainerLikeLauncher}:
 * the launcher is a local process, so this measures the wrapper, the named pipes, the scan and the probes there, not
 * a real {@code docker exec} or Kubernetes exec) against running them on this machine: the first backup in the JVM
 * (resolution and probes included) of a small database, then backups of a generated one, alternating. Not a unit
 * test: {@code bench/run-container-benchmark.sh}.
 *
 * <p>Arguments: rows of the large database (8,000,000 ≈ 1 GB), repetitions (3).
 */
public final class ContainerBenchmark {
    private ContainerBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 8_000_000L;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        PostgresServers.Server server = PostgresServers.get(17);
        Path work = Files.createTempDirectory("pgbackup-bench-container");
        Path bin = PgClients.binDir(17);
        ToolLocations here = ToolLocations.of(List.of(), List.of(bin.toString()), List.of());
        ToolLocations nowhere = ToolLocations.of(List.of(), List.of(), List.of());
        PipedProcessStarter piped = new PipedProcessStarter(new ContainerLikeLauncher(bin, work.resolve("container")),
                Files.createDirectories(work.resolve("ws@tmp")), work.toString(), "benchmark container");
        try (BenchStorage s3 = BenchStorage.start(Files.createDirectories(work.resolve("s3")))) {
            String bucket = s3.createBucket();
            String small = "bench_small";
            BackupBenchmark.generate(server, small, 1000);
            // Loads the engine's classes without probing client 17 in either place.
            backup(server.spec(small), s3, bucket,
                    ToolLocations.of(List.of(), List.of(PgClients.binDir(18).toString()), List.of()), null);
            double firstLocal = backup(server.spec(small), s3, bucket, here, null);
            double firstPiped = backup(server.spec(small), s3, bucket, nowhere, piped);
            List<Double> warmLocal = new ArrayList<>();
            List<Double> warmPiped = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                warmLocal.add(backup(server.spec(small), s3, bucket, here, null));
                warmPiped.add(backup(server.spec(small), s3, bucket, nowhere, piped));
            }
            System.out.printf(Locale.ROOT, "small database (1,000 rows): first backup in the JVM: on this machine %.3f s,"
                    + " through the container launcher %.3f s%n", firstLocal, firstPiped);
            System.out.printf(Locale.ROOT, "  then 5 each, alternating: on this machine %s (median %.3f s), through the"
                    + " container launcher %s (median %.3f s)%n", warmLocal, BackupBenchmark.median(warmLocal),
                    warmPiped, BackupBenchmark.median(warmPiped));

            String large = "bench_" + rows;
            BackupBenchmark.generate(server, large, rows);
            List<Double> local = new ArrayList<>();
            List<Double> container = new ArrayList<>();
            for (int i = 0; i < reps; i++) {
                local.add(backup(server.spec(large), s3, bucket, here, null));
                container.add(backup(server.spec(large), s3, bucket, nowhere, piped));
            }
            System.out.printf(Locale.ROOT, "large database (%,d rows, %,d bytes): on this machine %s (median %.1f s),"
                    + " through the container launcher %s (median %.1f s); stored %,d bytes%n", rows,
                    BackupBenchmark.databaseSize(server, large), local, BackupBenchmark.median(local), container,
                    BackupBenchmark.median(container), lastSize);
        }
        System.exit(0);
    }

    private static long lastSize;

    private static double backup(ConnectionSpec spec, BenchStorage s3, String bucket, ToolLocations tools,
            ProcessStarter starter) throws Exception {
        long start = System.nanoTime();
        BackupResult r = new BackupEngine().run(BackupRequest.builder(spec, s3.settings(bucket, "bench"))
                .toolLocations(tools).starter(starter).build(), EngineLog.none());
        double seconds = (System.nanoTime() - start) / 1e9;
        lastSize = r.getSize();
        s3.client().deleteObject(b -> b.bucket(bucket).key(r.getKey()));
        s3.client().deleteObject(b -> b.bucket(bucket).key(r.getKey() + ".manifest.json"));
        return Math.round(seconds * 1000) / 1000.0;
    }
}
