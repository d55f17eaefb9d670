package io.jenkins.plugins.pgbackup.bench;

import io.jenkins.plugins.pgbackup.catalog.NewestBackupReader;
import io.jenkins.plugins.pgbackup.freshness.AlarmStateFile;
import io.jenkins.plugins.pgbackup.freshness.FreshnessChecker;
import io.jenkins.plugins.pgbackup.freshness.FreshnessRule;
import io.jenkins.plugins.pgbackup.overview.BackupsOverview;
import io.jenkins.plugins.pgbackup.overview.OverviewBuilder;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.BackupSeeder;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How long the backups page model and one freshness check take over a large bucket: S3Proxy (in memory, same JVM),
 * {@code backups} complete backups (dump + manifest, so twice as many objects) spread over {@code databases}
 * databases. Prints the first (cold) run and the median and maximum of the following runs.
 *
 * <p>Usage: {@code bench/run-page-benchmark.sh [backups=10000] [databases=4] [runs=10]}
 */
public final class BackupsPageBenchmark {
    private BackupsPageBenchmark() {}

    public static void main(String[] args) throws Exception {
        int backups = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int databases = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Instant now = Instant.now();
        try (S3ProxyServer server = S3ProxyServer.inMemory()) {
            S3Client s3 = server.client();
            String bucket = server.createBucket();
            long seedStart = System.nanoTime();
            List<FreshnessRule> rules = new ArrayList<>();
            for (int d = 0; d < databases; d++) {
                String db = "db" + d;
                BackupSeeder.putBackups(s3, bucket, "pg/prod", db, now.minus(Duration.ofHours(d * 20L)),
                        Duration.ofHours(1), backups / databases);
                rules.add(new FreshnessRule("conn" + d, db, "bench", Duration.ofHours(24)));
            }
            System.out.printf(Locale.ROOT, "seeded %d backups (%d objects) in %d databases in %.1f s%n", backups,
                    2 * backups, databases, (System.nanoTime() - seedStart) / 1e9);
            StorageSettings settings = server.settings(bucket, "pg/prod");
            FreshnessChecker.TargetReader page = name -> new NewestBackupReader(Clock.systemUTC(), true)
                    .read(s3, settings);
            FreshnessChecker.TargetReader alarm = name -> new NewestBackupReader(Clock.systemUTC(), false)
                    .read(s3, settings);
            measure("page model (OverviewBuilder.build)", runs, () -> {
                BackupsOverview o = new OverviewBuilder(page, rules, null, Clock.systemUTC()).build(List.of("bench"));
                if (o.target("bench").isFailed() || o.target("bench").getRows().size() != databases) {
                    throw new IllegalStateException("unexpected page model: " + o.target("bench").getError());
                }
            });
            Path dir = Files.createTempDirectory("pgbackup-bench");
            measure("freshness check (FreshnessChecker.check)", runs, () -> new FreshnessChecker(alarm,
                    new AlarmStateFile(dir.resolve("alarms.properties")), n -> true, Clock.systemUTC(), null, "bench")
                    .check(rules));
        }
    }

    interface Run {
        void run() throws Exception;
    }

    private static void measure(String what, int runs, Run r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        double cold = (System.nanoTime() - t0) / 1e6;
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            r.run();
            times.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(times);
        System.out.printf(Locale.ROOT, "%s: first %.0f ms, then median %.0f ms, max %.0f ms over %d runs%n", what,
                cold, times.get(times.size() / 2), times.get(times.size() - 1), runs);
    }
}
