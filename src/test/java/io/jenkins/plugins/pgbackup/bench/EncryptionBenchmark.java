package io.jenkins.plugins.pgbackup.bench;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.dump.BackupEngine;
import io.jenkins.plugins.pgbackup.dump.BackupRequest;
import io.jenkins.plugins.pgbackup.dump.BackupResult;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end backup to S3Proxy on disk, unencrypted against encrypted with age for two recipients, on the generated
 * database of {@link BackupBenchmark}. The two kinds alternate within each repetition, so that load from other
 * processes falls on both alike. Not a unit test: run it with {@code bench/run-encryption-benchmark.sh}.
 *
 * <p>Arguments: rows (8,000,000 ≈ 1.2 GB), repetitions (3), server major (17), compression ("zstd:3").
 */
public final class EncryptionBenchmark {
    private EncryptionBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 8_000_000L;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int major = args.length > 2 ? Integer.parseInt(args[2]) : 17;
        String compression = args.length > 3 ? args[3] : "zstd:3";
        PostgresServers.Server server = PostgresServers.get(major);
        String db = "bench_age_" + rows;
        BackupBenchmark.generate(server, db, rows);
        ConnectionSpec spec = server.spec(db);
        List<String> recipients = List.of(recipient(), recipient());
        Path storeDir = Files.createTempDirectory("pgbackup-bench-age");
        try (S3ProxyServer s3 = S3ProxyServer.onDisk(storeDir)) {
            String bucket = s3.createBucket();
            List<Double> plain = new ArrayList<>();
            List<Double> encrypted = new ArrayList<>();
            long plainSize = 0;
            long encryptedSize = 0;
            for (int i = 0; i < reps; i++) {
                boolean encryptedFirst = i % 2 == 1;
                for (int k = 0; k < 2; k++) {
                    boolean encrypt = (k == 0) == encryptedFirst;
                    double[] loadBefore = {load()};
                    long start = System.nanoTime();
                    BackupResult r = new BackupEngine().run(BackupRequest.builder(spec, s3.settings(bucket, "bench"))
                            .compression(Compression.parse(compression))
                            .ageRecipients(encrypt ? recipients : List.of())
                            .toolLocations(ToolLocations.of(List.of(), List.of(PgClients.root().toString()),
                                    List.of()))
                            .build(), new QuietLog());
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "%s %.2f s (load average %.1f before)%n",
                            encrypt ? "encrypted" : "plain    ", seconds, loadBefore[0]);
                    (encrypt ? encrypted : plain).add(seconds);
                    if (encrypt) {
                        encryptedSize = r.getSize();
                    } else {
                        plainSize = r.getSize();
                    }
                    s3.client().deleteObject(b -> b.bucket(bucket).key(r.getKey()));
                    s3.client().deleteObject(b -> b.bucket(bucket).key(r.getKey() + ".manifest.json"));
                }
            }
            double bestPlain = plain.stream().mapToDouble(d -> d).min().orElseThrow();
            double bestEncrypted = encrypted.stream().mapToDouble(d -> d).min().orElseThrow();
            System.out.printf(Locale.ROOT, "rows=%d database=%.1fMB dump=%.1fMB encrypted=%.1fMB compression=%s%n",
                    rows, BackupBenchmark.databaseSize(server, db) / 1e6, plainSize / 1e6, encryptedSize / 1e6,
                    compression);
            System.out.printf(Locale.ROOT, "plain (s): %s%nencrypted (s): %s%n", plain, encrypted);
            System.out.printf(Locale.ROOT, "best plain %.2f s, best encrypted %.2f s, ratio %.3f%n", bestPlain,
                    bestEncrypted, bestEncrypted / bestPlain);
            System.out.printf(Locale.ROOT, "median plain %.2f s, median encrypted %.2f s, ratio %.3f%n",
                    BackupBenchmark.median(plain), BackupBenchmark.median(encrypted),
                    BackupBenchmark.median(encrypted) / BackupBenchmark.median(plain));
        }
        System.exit(0);
    }

    private static String recipient() throws Exception {
        return new String(new X25519KeyPairGenerator().generateKeyPair().getPublic().getEncoded(),
                StandardCharsets.US_ASCII);
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static final class QuietLog implements EngineLog {
        @Override
        public void info(String line) {}

        @Override
        public void warn(String line) {
            System.err.println("WARNING: " + line);
        }
    }
}
