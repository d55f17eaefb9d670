package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.StorageProvider;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

/**
 * What an agent runs for one backup and one restore, as a program for a separate JVM: the plans are made as the
 * controller makes them, then {@link AgentSide} is loaded as a marker and everything after it is what the agent does
 * (deserialising the plans, the engine). {@link AgentJarsTest} runs it with class loading logged to see which jars the
 * agent side reads.
 *
 * <p>Arguments: PostgreSQL port, database, S3 endpoint, bucket, client root, and optionally {@code --backups N}: N
 * backups one after the other instead of a backup and a restore, each timed with the classes it loaded and the engine's
 * lines stamped with the milliseconds since it started ({@code bench.FirstStepBenchmark}). The database password and
 * the S3 keys come in the environment ({@code PGB_PG_PASSWORD}, {@code PGB_S3_ACCESS}, {@code PGB_S3_SECRET}).
 */
public final class AgentWorkload {

    private AgentWorkload() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String db = args[1];
        TestSettings settings = new TestSettings();
        DatabaseConnection source = new DatabaseConnection("source", "localhost", db, "pg");
        source.setPort(port);
        settings.connections.add(source);
        StorageTarget target = new StorageTarget("s3", args[3], "s3");
        target.setProvider(StorageProvider.S3_COMPATIBLE);
        target.setEndpoint(args[2]);
        target.setPrefix("agent-jars");
        settings.targets.add(target);
        settings.toolRoots = List.of(args[4]);
        MapCredentials credentials = new MapCredentials().with("pg", "postgres", System.getenv("PGB_PG_PASSWORD"))
                .with("s3", System.getenv("PGB_S3_ACCESS"), System.getenv("PGB_S3_SECRET"));

        BackupOptions b = new BackupOptions();
        b.setConnection("source");
        b.setStorage("s3");
        byte[] backupPlan = serialize(BackupRequestMapper.map(b, settings, credentials, null, "agent-jars"));
        RestoreOptions r = new RestoreOptions();
        r.setStorage("s3");
        r.setLatest(db);
        r.setHost("localhost");
        r.setPort(port);
        r.setDatabase(db + "_copy");
        r.setCredentialsId("pg");
        r.setCreateDatabase(true);
        byte[] restorePlan = serialize(RestoreRequestMapper.map(r, settings, credentials, null));

        if (args.length > 6 && args[5].equals("--backups")) {
            AgentSide.timedBackups(backupPlan, Integer.parseInt(args[6]));
        } else {
            AgentSide.run(backupPlan, restorePlan);
        }
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    /** The agent's part; its own class so that its loading marks where the agent's part starts in the log. */
    static final class AgentSide {
        private AgentSide() {}

        static void run(byte[] backupPlan, byte[] restorePlan) throws Exception {
            BackupOutcome backup = EngineBridge.backup((BackupPlan) deserialize(backupPlan), List.of(),
                    new RecordingLog());
            RestoreOutcome restore = EngineBridge.restore((RestorePlan) deserialize(restorePlan), List.of(),
                    new RecordingLog());
            System.out.println("backed up " + backup.key() + ", restored into " + restore.database());
        }

        static void timedBackups(byte[] backupPlan, int backups) throws Exception {
            java.lang.management.ClassLoadingMXBean classes = java.lang.management.ManagementFactory
                    .getClassLoadingMXBean();
            long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            System.out.println("TIMING jvm start to first backup: " + (System.currentTimeMillis() - jvmStart) + " ms, "
                    + classes.getTotalLoadedClassCount() + " classes loaded");
            for (int i = 1; i <= backups; i++) {
                if (i > 1) {
                    // Backup keys name the second: two backups in one second would have the same key.
                    Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 10);
                }
                long loaded = classes.getTotalLoadedClassCount();
                long start = System.nanoTime();
                EngineBridge.backup((BackupPlan) deserialize(backupPlan), List.of(), new StampedLog(start));
                System.out.println("TIMING backup " + i + ": " + (System.nanoTime() - start) / 1_000_000 + " ms, "
                        + (classes.getTotalLoadedClassCount() - loaded) + " classes loaded");
            }
        }

        /** The engine's lines, each with the milliseconds since the backup started. */
        private record StampedLog(long start) implements io.jenkins.plugins.pgbackup.engine.EngineLog {
            @Override
            public void info(String line) {
                System.out.println("PHASE +" + (System.nanoTime() - start) / 1_000_000 + " ms " + line);
            }

            @Override
            public void warn(String line) {
                info("WARNING: " + line);
            }
        }

        private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                return in.readObject();
            }
        }
    }
}
