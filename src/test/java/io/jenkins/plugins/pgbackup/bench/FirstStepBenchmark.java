package io.jenkins.plugins.pgbackup.bench;

import io.jenkins.plugins.pgbackup.steps.AgentWorkload;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The first backup in a fresh JVM against the next ones in the same JVM: what a fresh agent pays before its first
 * step even when no class comes over the channel (the rest of a real agent's first step is remote class loading, which
 * the plugin's jar preload addresses). Each run is a new JVM ({@link AgentWorkload} with {@code --backups N}), which
 * prints how long each backup took, the classes loaded and the engine's lines with their times, so the phases of the
 * cold run can be compared with the warm ones. Not a unit test: run {@code bench/run-first-step-benchmark.sh}.
 *
 * <p>Arguments: runs (5), backups per JVM (3), server major (17).
 */
public final class FirstStepBenchmark {
    private FirstStepBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int backups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int major = args.length > 2 ? Integer.parseInt(args[2]) : 17;
        PostgresServers.Server server = PostgresServers.get(major);
        String db = "first_step";
        server.createDatabase(db);
        try (Connection c = server.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 1000) g");
        }
        Path out = Files.createTempDirectory("pgbackup-first-step");
        try (S3ProxyServer s3 = S3ProxyServer.inMemory()) {
            String bucket = s3.createBucket();
            for (int run = 1; run <= runs; run++) {
                Path log = out.resolve("run-" + run + ".txt");
                ProcessBuilder pb = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                        System.getProperty("java.class.path"), AgentWorkload.class.getName(),
                        String.valueOf(server.port()), db, s3.endpoint().toString(), bucket,
                        PgClients.requireRoot().toString(), "--backups", String.valueOf(backups))
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put("PGB_PG_PASSWORD", PostgresServers.PASSWORD);
                pb.environment().put("PGB_S3_ACCESS", S3ProxyServer.ACCESS_KEY);
                pb.environment().put("PGB_S3_SECRET", S3ProxyServer.SECRET_KEY);
                Process p = pb.start();
                if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException("run " + run + " failed:\n" + Files.readString(log));
                }
                System.out.printf(Locale.ROOT, "run %d%n%s", run, timings(Files.readAllLines(log)));
            }
        }
    }

    /** The lines the workload marks as timings, in order. */
    private static String timings(List<String> lines) {
        List<String> kept = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("TIMING ") || l.startsWith("PHASE ")) {
                kept.add("  " + l);
            }
        }
        return String.join("\n", kept) + "\n";
    }
}
