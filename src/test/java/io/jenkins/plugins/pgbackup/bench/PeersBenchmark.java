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
import io.jenkins.plugins.pgbackup.signing.BackupSigner;
import io.jenkins.plugins.pgbackup.signing.RestoreSigner;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import io.jenkins.plugins.pgbackup.tools.ToolLocations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The plugin against what users script instead (issue 17), on the same generated database, the same pg_dump and
 * pg_restore, the same compression and the same S3Proxy (in a JVM of its own), in one run with the order of the
 * methods reversed every other round:
 *
 * <ul>
 *   <li>backup: {@code pg_dump > /dev/null} (the floor), {@code pg_dump | aws s3 cp - s3://…} (AWS CLI v2),
 *       {@code pg_dump | rclone rcat remote:…}, and {@link BackupEngine} as {@link BackupBenchmark} runs it, with
 *       the keys and with the controller's signer in this JVM (parts to presigned URLs);
 *   <li>restore of the plugin's stored object into a new database: {@code pg_restore} from a local copy (the floor),
 *       {@code aws s3 cp s3://… - | pg_restore}, {@code rclone cat … | pg_restore}, and {@link RestoreEngine} (with
 *       the keys, and reading through presigned GETs). The
 *       peers' database is created before their clock starts; the plugin creates its own ({@code createDatabase})
 *       inside its time, as {@code pgRestore(createDatabase: true)} does.
 * </ul>
 *
 * <p>Each peer runs as {@code bash -o pipefail -c 'time pg_dump … | time aws …'} with {@code /usr/bin/time} around
 * each program, which gives each program's own CPU; {@link CpuAccounting} gives the plugin's JVM, pg_dump under it,
 * the PostgreSQL server and S3Proxy. Not a unit test: run it with {@code bench/run-peers-benchmark.sh}.
 *
 * <p>Arguments: dump sizes in MB of uncompressed custom-format dump ("300,2000"), rounds (3), compressions
 * ("none,default"; "default" lets the plugin choose, and the peers get what it chose), server major (17).
 * Properties: {@code bench.aws}, {@code bench.rclone} (the programs), {@code bench.only} (methods to run, for
 * example "plugin"), {@code bench.restore} (false: backups only), {@code bench.jfr} (a file prefix: each measured
 * plugin backup is recorded with JFR's "profile" settings into {@code PREFIX-N.jfr}).
 */
public final class PeersBenchmark {
    /** Uncompressed custom-format dump bytes per generated row (431 MB for 4,000,000 rows). */
    private static final double DUMP_BYTES_PER_ROW = 108;
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final String REMOTE = "peerbench";

    enum Method {
        RAW("raw (floor)"), AWS("aws s3 cp"), RCLONE("rclone"), PLUGIN("plugin"),
        /** The plugin with the controller's signer (in this JVM): parts go to presigned URLs, not through the SDK. */
        PLUGIN_SIGNED("plugin, controller signs");

        final String label;

        Method(String label) {
            this.label = label;
        }
    }

    /** One timed run: wall seconds and CPU seconds by process. */
    record Run(double wall, Map<String, Double> cpu) {}

    private final PostgresServers.Server server;
    private final BenchStorage s3;
    private final String bucket;
    private final CpuAccounting cpu;
    private final Path work;
    private final String aws;
    private final String rclone;
    private final List<Method> methods;
    private final ToolLocations clients = ToolLocations.of(List.of(), List.of(PgClients.root().toString()), List.of());
    private final String jfr = System.getProperty("bench.jfr", "");
    private final Map<String, double[]> pluginThreads = new TreeMap<>();
    private double pluginThreadBytes;
    private int jfrCount;
    private int counter;

    private PeersBenchmark(PostgresServers.Server server, BenchStorage s3, Path work) throws Exception {
        this.server = server;
        this.s3 = s3;
        this.work = work;
        this.bucket = s3.createBucket();
        this.cpu = new CpuAccounting(BackupBenchmark.postmasterPid(server), s3.pid());
        this.aws = System.getProperty("bench.aws", "/usr/bin/aws");
        this.rclone = System.getProperty("bench.rclone", "/usr/bin/rclone");
        String only = System.getProperty("bench.only", "");
        this.methods = only.isBlank() ? List.of(Method.values())
                : Arrays.stream(only.split(",")).map(s -> Method.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList();
        Files.writeString(work.resolve("aws-config"), "[default]\nregion = " + StorageSettings.DEFAULT_REGION
                + "\ns3 =\n  addressing_style = path\n", StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = Arrays.stream((args.length > 0 ? args[0] : "300,2000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> compressions = Arrays.stream((args.length > 2 ? args[2] : "none,default").split(","))
                .map(String::trim).toList();
        int major = args.length > 3 ? Integer.parseInt(args[3]) : 17;
        System.setProperty("bench.s3", "process"); // S3Proxy's CPU apart from the plugin's
        PostgresServers.Server server = PostgresServers.get(major);
        Path work = Files.createTempDirectory("pgbackup-peers-bench");
        try (BenchStorage s3 = BenchStorage.start(work.resolve("s3"))) {
            PeersBenchmark bench = new PeersBenchmark(server, s3, work);
            bench.describeSetup(major);
            for (int size : sizes) {
                long rows = Math.max(10_000, Math.round(size * 1e6 / DUMP_BYTES_PER_ROW));
                String db = "peers_" + rows;
                BackupBenchmark.generate(server, db, rows);
                System.out.printf(Locale.ROOT, "%n## %d rows, database %.1f MB%n", rows,
                        BackupBenchmark.databaseSize(server, db) / 1e6);
                for (String c : compressions) {
                    bench.compare(db, "default".equals(c) ? null : Compression.parse(c), rounds);
                }
            }
            bench.reportPluginThreads();
        }
        System.exit(0);
    }

    private void describeSetup(int major) throws Exception {
        System.out.println("# Against what users script today");
        System.out.println("server: PostgreSQL " + major + " (embedded), S3Proxy " + s3.where() + " at " + s3.endpoint());
        System.out.println("aws: " + aws + ": " + version(aws, "--version"));
        System.out.println("rclone: " + rclone + ": " + version(rclone, "version").lines().findFirst().orElse("?"));
        System.out.println("aws flags: " + String.join(" ", awsGlobal()) + " s3 cp --no-progress - s3://BUCKET/KEY; "
                + "env AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION=" + StorageSettings.DEFAULT_REGION
                + ", AWS_CONFIG_FILE (s3.addressing_style = path), AWS_SHARED_CREDENTIALS_FILE=/dev/null, "
                + "AWS_EC2_METADATA_DISABLED=true; inherited AWS_* and RCLONE_* variables removed");
        System.out.println("rclone flags: rcat " + REMOTE + ":BUCKET/KEY; env " + String.join(", ",
                rcloneEnvironment().keySet().stream().map(k -> k.contains("SECRET") || k.contains("KEY_ID") ? k
                        : k + "=" + rcloneEnvironment().get(k)).toList()));
        System.out.println("methods: " + methods + "; order reversed every other round");
    }

    /** One database, one compression: backups, then restores of the plugin's object. */
    private void compare(String db, Compression compression, int rounds) throws Exception {
        ConnectionSpec spec = server.spec(db);
        long t0 = System.nanoTime();
        BackupResult first = pluginBackup(spec, compression, false);
        double firstSeconds = (System.nanoTime() - t0) / 1e9;
        if (methods.contains(Method.PLUGIN_SIGNED)) {
            deletePluginObject(pluginBackup(spec, compression, true).getKey()); // its first run, not in the table
        }
        int dumpMajor = Integer.parseInt(first.getPgDumpVersion().replaceAll("^(\\d+).*$", "$1"));
        Compression chosen = Compression.parse(first.getCompression());
        List<String> pgDump = new ArrayList<>(List.of(first.getPgDumpPath(), "--format=c",
                chosen.pgDumpArgument(dumpMajor)));
        pgDump.addAll(LibpqArguments.connectionArguments(spec));
        long size = first.getSize();
        System.out.printf(Locale.ROOT, "%n### backup: compression %s (%s), pg_dump %s, %.1f MB stored%n",
                compression == null ? "default" : compression, chosen, first.getPgDumpVersion(), size / 1e6);
        System.out.printf(Locale.ROOT, "first plugin backup of this configuration (not in the table): %.2f s%n",
                firstSeconds);
        System.out.println("pg_dump: " + String.join(" ", pgDump).replace(spec.getDatabase(), "DB"));
        Map<Method, List<Run>> backups = new EnumMap<>(Method.class);
        for (int round = 0; round < rounds; round++) {
            for (Method m : order(round)) {
                backups.computeIfAbsent(m, k -> new ArrayList<>()).add(backup(m, spec, pgDump, compression, size));
            }
        }
        report("backup", backups, size, List.of("pg_dump", "uploader", "S3Proxy", "PostgreSQL"));
        if (Boolean.parseBoolean(System.getProperty("bench.restore", "true"))) {
            restores(first, rounds, size);
        }
        deletePluginObject(first.getKey());
    }

    private List<Method> order(int round) {
        List<Method> order = new ArrayList<>(methods);
        if (round % 2 == 1) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    private Run backup(Method m, ConnectionSpec spec, List<String> pgDump, Compression compression, long size)
            throws Exception {
        String key = "peers/" + m.name().toLowerCase(Locale.ROOT) + "-" + (++counter) + ".dump";
        String dump = timed("pg_dump", pgDump);
        Run run = switch (m) {
            case RAW -> shell(spec, dump + " > /dev/null", Map.of());
            case AWS -> shell(spec, dump + " | " + timed("uploader", awsCommand("-", "s3://" + bucket + "/" + key)),
                    awsEnvironment());
            case RCLONE -> shell(spec, dump + " | " + timed("uploader", List.of(rclone, "rcat",
                    REMOTE + ":" + bucket + "/" + key)), rcloneEnvironment());
            case PLUGIN -> pluginRun(spec, compression, size, false);
            case PLUGIN_SIGNED -> pluginRun(spec, compression, size, true);
        };
        if (m == Method.AWS || m == Method.RCLONE) {
            long stored = s3.client().headObject(b -> b.bucket(bucket).key(key)).contentLength();
            if (Math.abs(stored - size) > size / 100) {
                System.out.printf(Locale.ROOT, "NOTE: %s stored %d bytes, the plugin %d%n", m.label, stored, size);
            }
            s3.client().deleteObject(b -> b.bucket(bucket).key(key));
        }
        return run;
    }

    private Run pluginRun(ConnectionSpec spec, Compression compression, long size, boolean signed)
            throws Exception {
        ThreadCpu threads = new ThreadCpu();
        Recording recording = jfr.isEmpty() ? null : new Recording(Configuration.getConfiguration("profile"));
        if (recording != null) {
            // Threads of this upload spend most of their time in system calls, which Java samples miss: sample often.
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(5));
        }
        CpuAccounting.Snapshot before = cpu.snapshot();
        threads.start();
        if (recording != null) {
            recording.start();
        }
        long start = System.nanoTime();
        BackupResult r = pluginBackup(spec, compression, signed);
        double wall = (System.nanoTime() - start) / 1e9;
        if (recording != null) {
            recording.stop();
            recording.dump(Path.of(jfr + "-" + (++jfrCount) + ".jfr"));
            recording.close();
        }
        Map<String, double[]> byThread = threads.stop();
        CpuAccounting.Snapshot d = cpu.settled().minus(before);
        double[] p = byThread.getOrDefault(ThreadCpu.POLLER, new double[2]);
        double poller = p[0] + p[1];
        if (!signed) {
            byThread.forEach((name, s) -> pluginThreads.merge(name, s, ThreadCpu::sum));
            pluginThreadBytes += r.getSize();
        }
        deletePluginObject(r.getKey());
        return new Run(wall, cpuMap(d.children(), d.self() - poller, d.other(), d.server()));
    }

    /** With the keys in the engine, or signed: the engine holds no keys and the signer presigns its parts. */
    private BackupResult pluginBackup(ConnectionSpec spec, Compression compression, boolean signed)
            throws Exception {
        StorageSettings keys = s3.settings(bucket, "bench");
        try (BackupSigner signer = signed ? new BackupSigner(keys, spec.getDatabase()) : null) {
            BackupRequest.Builder b = BackupRequest.builder(spec, signed ? keys.withoutKeys() : keys)
                    .compression(compression).toolLocations(clients);
            if (signed) {
                b.grant(signer);
            }
            return new BackupEngine().run(b.build(), new WarningsOnly());
        }
    }

    private void deletePluginObject(String key) {
        s3.client().deleteObject(b -> b.bucket(bucket).key(key));
        s3.client().deleteObject(b -> b.bucket(bucket).key(key + ".manifest.json"));
    }

    /** Restores of the plugin's stored object, each into a new database. */
    private void restores(BackupResult backup, int rounds, long size) throws Exception {
        Path archive = work.resolve("archive.dump");
        s3.client().getObject(b -> b.bucket(bucket).key(backup.getKey()), archive);
        long t0 = System.nanoTime();
        RestoreResult first = pluginRestore(backup.getKey(), newDatabaseName(), false);
        double firstSeconds = (System.nanoTime() - t0) / 1e9;
        drop(first.getTargetDatabase());
        List<String> pgRestore = List.of(first.getToolPath(), "--exit-on-error");
        System.out.printf(Locale.ROOT, "%n### restore of that backup (%s, %.1f MB), pg_restore %s%n",
                backup.getCompression(), size / 1e6, first.getToolVersion());
        System.out.printf(Locale.ROOT, "first plugin restore of this configuration (not in the table): %.2f s (%s)%n",
                firstSeconds, first.getTransfer());
        Map<Method, List<Run>> runs = new EnumMap<>(Method.class);
        List<Double> createdb = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (Method m : order(round)) {
                String target = newDatabaseName();
                if (m != Method.PLUGIN && m != Method.PLUGIN_SIGNED) {
                    long c = System.nanoTime();
                    server.createDatabase(target);
                    createdb.add((System.nanoTime() - c) / 1e9);
                }
                runs.computeIfAbsent(m, k -> new ArrayList<>()).add(restore(m, backup.getKey(), target, pgRestore,
                        archive));
                drop(target);
            }
        }
        report("restore", runs, size, List.of("pg_restore", "downloader", "S3Proxy", "PostgreSQL"));
        System.out.printf(Locale.ROOT, "createdb for raw and peers, outside their time (s): median %.2f, max %.2f%n",
                BackupBenchmark.median(createdb), createdb.stream().mapToDouble(d -> d).max().orElse(0));
        Files.delete(archive);
    }

    private Run restore(Method m, String key, String target, List<String> pgRestore, Path archive) throws Exception {
        ConnectionSpec spec = server.spec(target);
        List<String> restore = new ArrayList<>(pgRestore);
        restore.addAll(LibpqArguments.connectionArguments(spec));
        String into = timed("pg_restore", restore);
        return switch (m) {
            case RAW -> shell(spec, into + " " + quote(archive.toString()), Map.of());
            case AWS -> shell(spec, timed("uploader", awsCommand("s3://" + bucket + "/" + key, "-")) + " | " + into,
                    awsEnvironment());
            case RCLONE -> shell(spec, timed("uploader", List.of(rclone, "cat", REMOTE + ":" + bucket + "/" + key))
                    + " | " + into, rcloneEnvironment());
            case PLUGIN, PLUGIN_SIGNED -> {
                CpuAccounting.Snapshot before = cpu.snapshot();
                long start = System.nanoTime();
                pluginRestore(key, target, m == Method.PLUGIN_SIGNED);
                double wall = (System.nanoTime() - start) / 1e9;
                CpuAccounting.Snapshot d = cpu.settled().minus(before);
                yield new Run(wall, cpuMap(d.children(), d.self(), d.other(), d.server()));
            }
        };
    }

    /** With the keys in the engine, or signed: the controller resolves the backup and presigns its GETs. */
    private RestoreResult pluginRestore(String key, String target, boolean signed) throws Exception {
        StorageSettings keys = s3.settings(bucket, "bench");
        try (RestoreSigner signer = signed ? RestoreSigner.resolve(keys, key, null) : null) {
            RestoreRequest.Builder b = RestoreRequest.builder(server.spec(target), signed ? keys.withoutKeys() : keys)
                    .key(key).createDatabase(true).toolLocations(clients);
            if (signed) {
                b.signed(signer.ticket(), signer);
            }
            return new RestoreEngine().run(b.build(), new WarningsOnly());
        }
    }

    private String newDatabaseName() {
        return "peers_restore_" + (++counter);
    }

    private void drop(String db) throws Exception {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + db + "\"");
        }
    }

    /**
     * Runs {@code script} with bash and pipefail; each program in it was wrapped by {@link #timed}, whose files give
     * its CPU. The PostgreSQL server's and S3Proxy's CPU come from {@link CpuAccounting}.
     */
    private Run shell(ConnectionSpec spec, String script, Map<String, String> env) throws Exception {
        Files.deleteIfExists(work.resolve("time-pg_dump"));
        Files.deleteIfExists(work.resolve("time-pg_restore"));
        Files.deleteIfExists(work.resolve("time-uploader"));
        try (PgPassFile pgpass = PgPassFile.create(spec)) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", script).directory(work.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
            LibpqArguments.INHERITED_VARIABLES_TO_REMOVE.forEach(pb.environment()::remove);
            // Only what the benchmark sets: an inherited AWS_CA_BUNDLE, for one, makes rclone 1.60 fail to start.
            pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("RCLONE_"));
            pb.environment().putAll(pgpass.environment());
            pb.environment().putAll(env);
            CpuAccounting.Snapshot before = cpu.snapshot();
            long start = System.nanoTime();
            int exit = pb.start().waitFor();
            double wall = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("exit " + exit + ": " + script);
            }
            CpuAccounting.Snapshot d = cpu.settled().minus(before);
            double tool = cpuOf("pg_dump") + cpuOf("pg_restore");
            return new Run(wall, cpuMap(tool, cpuOf("uploader"), d.other(), d.server()));
        }
    }

    /** The order of the columns: the PostgreSQL tool, the uploader or downloader, S3Proxy, the server. */
    private static Map<String, Double> cpuMap(double tool, double transfer, double s3proxy, double server) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("tool", tool);
        m.put("transfer", transfer);
        m.put("S3Proxy", s3proxy);
        m.put("PostgreSQL", server);
        return m;
    }

    /** {@code /usr/bin/time} around a program, writing "user system maxRSS" to a file named after its role. */
    private static String timed(String role, List<String> command) {
        return "/usr/bin/time -f '%U %S %M' -o time-" + role + " "
                + command.stream().map(PeersBenchmark::quote).collect(Collectors.joining(" "));
    }

    private double cpuOf(String role) throws IOException {
        Path f = work.resolve("time-" + role);
        if (!Files.exists(f)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(f); // a killed program adds a line before the figures
        String[] v = lines.get(lines.size() - 1).trim().split(" ");
        return Double.parseDouble(v[0]) + Double.parseDouble(v[1]);
    }

    private List<String> awsGlobal() {
        return List.of("--endpoint-url", s3.endpoint().toString());
    }

    private List<String> awsCommand(String from, String to) {
        List<String> c = new ArrayList<>(List.of(aws));
        c.addAll(awsGlobal());
        c.addAll(List.of("s3", "cp", "--no-progress", from, to));
        return c;
    }

    private Map<String, String> awsEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                "AWS_DEFAULT_REGION", StorageSettings.DEFAULT_REGION,
                "AWS_CONFIG_FILE", work.resolve("aws-config").toString(), "AWS_SHARED_CREDENTIALS_FILE", "/dev/null",
                "AWS_EC2_METADATA_DISABLED", "true", "AWS_PAGER", "");
    }

    private Map<String, String> rcloneEnvironment() {
        String p = "RCLONE_CONFIG_" + REMOTE.toUpperCase(Locale.ROOT) + "_";
        Map<String, String> env = new LinkedHashMap<>();
        env.put(p + "TYPE", "s3");
        env.put(p + "PROVIDER", "Other");
        env.put(p + "ENDPOINT", s3.endpoint().toString());
        env.put(p + "FORCE_PATH_STYLE", "true");
        env.put(p + "REGION", StorageSettings.DEFAULT_REGION);
        env.put(p + "ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put(p + "SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("RCLONE_CONFIG", work.resolve("rclone.conf").toString());
        return env;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String version(String program, String arg) throws Exception {
        Process p = new ProcessBuilder(program, arg).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }

    private void report(String what, Map<Method, List<Run>> runs, long size, List<String> columns) {
        double gib = size / GIB;
        System.out.printf(Locale.ROOT, "%n| %s | runs (s) | best | median | CPU-s/GiB: %s | %s | %s | %s |%n", what,
                columns.get(0), columns.get(1), columns.get(2), columns.get(3));
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Method m : methods) {
            List<Run> rs = runs.get(m);
            List<Double> walls = rs.stream().map(Run::wall).toList();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f |", m.label,
                    walls.stream().map(w -> String.format(Locale.ROOT, "%.2f", w)).collect(Collectors.joining(", ")),
                    walls.stream().mapToDouble(d -> d).min().orElseThrow(), BackupBenchmark.median(walls)));
            for (String k : List.of("tool", "transfer", "S3Proxy", "PostgreSQL")) {
                double perGib = BackupBenchmark.median(rs.stream().map(r -> r.cpu().get(k) / gib).toList());
                line.append(m == Method.RAW && !k.equals("tool") && !k.equals("PostgreSQL") ? " – |"
                        : String.format(Locale.ROOT, " %.2f |", perGib));
            }
            System.out.println(line);
        }
        ratio(runs);
    }

    private void ratio(Map<Method, List<Run>> runs) {
        for (Method p : List.of(Method.PLUGIN, Method.PLUGIN_SIGNED)) {
            if (runs.containsKey(p)) {
                ratio(runs, p);
            }
        }
    }

    private void ratio(Map<Method, List<Run>> runs, Method pluginMethod) {
        double plugin = median(runs.get(pluginMethod));
        Method fastest = null;
        for (Method m : List.of(Method.AWS, Method.RCLONE)) {
            if (runs.containsKey(m) && (fastest == null || median(runs.get(m)) < median(runs.get(fastest)))) {
                fastest = m;
            }
        }
        if (fastest != null) {
            System.out.printf(Locale.ROOT, "%s median / fastest peer's (%s) median: %.2f%n", pluginMethod.label,
                    fastest.label, plugin / median(runs.get(fastest)));
        }
        if (runs.containsKey(Method.RAW)) {
            System.out.printf(Locale.ROOT, "%s median / floor median: %.2f%n", pluginMethod.label,
                    plugin / median(runs.get(Method.RAW)));
        }
    }

    private static double median(List<Run> runs) {
        return BackupBenchmark.median(runs.stream().map(Run::wall).toList());
    }

    /** The plugin's JVM by thread over all its measured backups: where its own CPU goes. */
    private void reportPluginThreads() {
        if (pluginThreads.isEmpty()) {
            return;
        }
        double gib = pluginThreadBytes / GIB;
        pluginThreads.remove(ThreadCpu.POLLER);
        double total = pluginThreads.values().stream().mapToDouble(v -> v[0] + v[1]).sum();
        System.out.printf(Locale.ROOT, "%n### the plugin's JVM by thread, all measured backups (%.2f GiB): %.2f CPU-s/GiB"
                + " (the harness's /proc poller left out)%n", gib, total / gib);
        System.out.println("| thread | CPU-s/GiB | user | kernel | share |");
        System.out.println("| --- | --- | --- | --- | --- |");
        pluginThreads.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                .filter(e -> (e.getValue()[0] + e.getValue()[1]) / total >= 0.005)
                .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.1f %% |%n", e.getKey(),
                        (e.getValue()[0] + e.getValue()[1]) / gib, e.getValue()[0] / gib, e.getValue()[1] / gib,
                        100 * (e.getValue()[0] + e.getValue()[1]) / total));
    }

    /** Only warnings reach the output; the engine's info lines would drown the tables. */
    private static final class WarningsOnly implements EngineLog {
        @Override
        public void info(String line) {}

        @Override
        public void warn(String line) {
            System.err.println("WARNING: " + line);
        }
    }
}
