package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.tasks.Builder;
import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
import io.jenkins.plugins.pgbackup.demo.DemoBinding;
import io.jenkins.plugins.pgbackup.demo.DemoCredentials;
import io.jenkins.plugins.pgbackup.demo.DemoDatabase;
import io.jenkins.plugins.pgbackup.demo.DemoEnvironment;
import io.jenkins.plugins.pgbackup.demo.DemoJenkins;
import io.jenkins.plugins.pgbackup.demo.DemoJobs;
import io.jenkins.plugins.pgbackup.demo.DemoSample;
import io.jenkins.plugins.pgbackup.demo.DemoServicesProcess;
import io.jenkins.plugins.pgbackup.demo.DemoSettings;
import io.jenkins.plugins.pgbackup.demo.DemoStep;
import io.jenkins.plugins.pgbackup.demo.DemoStorage;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.RecordingLog;
import io.jenkins.plugins.pgbackup.verify.VerifyCheck;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The demo of {@code mvn hpi:run -Pdemo}, without Jenkins: its services started as the Jenkins part starts them (a
 * JVM of their own on the demo's folder), its configuration and credentials as the Jenkins part creates them, and
 * the steps of its three jobs bound to the real {@code pgBackup}, {@code pgRestore} and {@code pgVerify} steps (for
 * the Pipelines) and build steps (for the freestyle job, by the Jenkins part's own code) and run through the engine
 * with real pg_dump, pg_restore and psql. So the demo cannot rot unnoticed: a renamed argument, a configuration the
 * steps refuse, or a sample the drill's checks do not hold for, fails here.
 */
class DemoJobsEngineTest {

    @TempDir
    Path dir;

    private final List<String> logs = new ArrayList<>();

    @Test
    void theDemoJobsBackUpRestoreAndDrillTheSampleAndASecondStartKeepsWhatTheFirstMade() throws Exception {
        DemoEnvironment first;
        String pipelineKey;
        String freestyleKey;
        try (DemoServicesProcess services = start()) {
            first = services.environment();
            Map<String, Object> pipeline = runPipeline(DemoJobs.pipelineSteps(), first, "1");
            BackupOutcome backup = (BackupOutcome) pipeline.get("backup");
            pipelineKey = backup.key();
            assertTrue(backup.key().startsWith(DemoSettings.PREFIX + "/" + DemoSample.DATABASE + "/"), backup.key());
            assertTrue(backup.key().endsWith(".age"), "encrypted for the target's recipient: " + backup.key());
            assertEquals(List.of(AgeKeys.fingerprint(first.secrets().ageRecipient())), backup.recipients());
            assertEquals(String.valueOf(DemoDatabase.MAJOR), backup.postgresMajor());
            RestoreOutcome restore = (RestoreOutcome) pipeline.get("restore");
            assertEquals(backup.key(), restore.key());
            assertEquals(DemoSettings.RESTORED_DATABASE, restore.database());
            assertRestoredIsTheSample(first);
            assertDrillPassed((VerifyOutcome) pipeline.get("drill"), backup.key());

            Map<String, Object> freestyle = runFreestyle(first, "2");
            freestyleKey = ((BackupOutcome) freestyle.get("backup")).key();
            assertNotEquals(pipelineKey, freestyleKey);
            assertEquals(freestyleKey, ((RestoreOutcome) freestyle.get("restore")).key(),
                    "latest: the newest backup, the one the job just made");
            assertRestoredIsTheSample(first);
            assertDrillPassed((VerifyOutcome) freestyle.get("drill"), freestyleKey);
        }

        try (DemoServicesProcess services = start()) {
            DemoEnvironment second = services.environment();
            assertEquals(first.secrets(), second.secrets(), "the roles, keys and age identity of the first start");
            assertTrue(backupKeys(second).containsAll(List.of(pipelineKey, freestyleKey)),
                    "the bucket keeps the first start's backups: " + backupKeys(second));
            assertRestoredIsTheSample(second);

            Map<String, Object> nightly = runPipeline(DemoJobs.nightlySteps(), second, "3");
            String nightlyKey = ((BackupOutcome) nightly.get("backup")).key();
            assertDrillPassed((VerifyOutcome) nightly.get("drill"), nightlyKey);
            assertEquals(3, backupKeys(second).size(), "three backups, within the demo's retention");
        }
        assertFalse(String.join("\n", logs).contains(first.secrets().postgresPassword()));
    }

    private DemoServicesProcess start() throws Exception {
        Path binaries = Path.of(System.getProperty("pgbackup.test.binaries"));
        File log = dir.resolve("services.log").toFile();
        return DemoServicesProcess.start(dir.resolve("demo"), binaries, System.getProperty("java.class.path"), log,
                logs::add);
    }

    private static DemoSettings settings(DemoEnvironment env) {
        return new DemoSettings(env, List.of(PgClients.requireRoot().toString()));
    }

    private static MapCredentials credentials(DemoEnvironment env) {
        MapCredentials credentials = new MapCredentials();
        for (DemoCredentials c : DemoCredentials.of(env.secrets())) {
            if (c.isSecretText()) {
                credentials.secrets.put(c.id(), c.secret());
            } else {
                credentials.with(c.id(), c.username(), c.secret());
            }
        }
        return credentials;
    }

    /** The Pipeline's steps as Jenkins binds them to the steps, each run as the step runs it on the agent. */
    private Map<String, Object> runPipeline(List<DemoStep> steps, DemoEnvironment env, String build)
            throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        for (DemoStep step : steps) {
            Map<String, Object> args = new LinkedHashMap<>();
            step.arguments().forEach((name, value) -> args.put(name, VerifyRequestMapper.pipelineArgument(name,
                    value == DemoStep.BACKUP_KEY ? ((BackupOutcome) results.get("backup")).key() : value)));
            Object options = switch (step.function()) {
                case "pgBackup" -> DemoBinding.bind(new PgBackupStep(), args, v -> v).options();
                case "pgRestore" -> DemoBinding.bind(new PgRestoreStep(), args, v -> v).options();
                case "pgVerify" -> DemoBinding.bind(new PgVerifyStep(), args, v -> v).options();
                default -> throw new AssertionError(step.function());
            };
            results.put(step.result(), run(options, env, DemoJobs.PIPELINE, build));
        }
        return results;
    }

    /** The freestyle job's build steps, made by the Jenkins part's own code, run as the build steps run them. */
    private Map<String, Object> runFreestyle(DemoEnvironment env, String build) throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        for (DemoStep step : DemoJobs.freestyleSteps()) {
            Builder builder = DemoJenkins.builder(step);
            Object options = builder instanceof PgBackupBuilder b ? b.options()
                    : builder instanceof PgRestoreBuilder r ? r.options() : ((PgVerifyBuilder) builder).options();
            results.put(step.result(), run(options, env, DemoJobs.FREESTYLE, build));
        }
        return results;
    }

    private Object run(Object options, DemoEnvironment env, String job, String build) throws Exception {
        DemoSettings settings = settings(env);
        MapCredentials credentials = credentials(env);
        RecordingLog log = new RecordingLog();
        try {
            if (options instanceof BackupOptions o) {
                BackupPlan plan = BackupRequestMapper.map(o, settings, credentials, null, job + "#" + build);
                return EngineBridge.backup(plan, List.of(), new MaskingEngineLog(log, plan.secrets()));
            }
            if (options instanceof VerifyOptions o) {
                VerifyPlan plan = VerifyRequestMapper.map(o, settings, credentials, null, build,
                        "job/" + job + "/" + build + "/");
                return EngineBridge.verify(plan, List.of(), new MaskingEngineLog(log, plan.restore().secrets()));
            }
            RestorePlan plan = RestoreRequestMapper.map((RestoreOptions) options, settings, credentials, null);
            return EngineBridge.restore(plan, List.of(), new MaskingEngineLog(log, plan.secrets()));
        } finally {
            logs.add(log.all());
        }
    }

    private static void assertDrillPassed(VerifyOutcome drill, String key) {
        assertEquals(key, drill.record().getKey());
        assertTrue(drill.record().isPassed(), drill.record().getSummary() + ": " + drill.record().getChecks());
        // restore, tables, a minRows check per table and the sample's own queries: every one of them ran and passed
        assertEquals(2 + DemoSample.ROWS.size() + DemoSample.CHECKS.size(), drill.record().getChecks().size(),
                drill.record().getChecks().toString());
        assertTrue(drill.record().getChecks().stream().allMatch(c -> c.outcome() == VerifyCheck.Outcome.PASSED),
                drill.record().getChecks().toString());
    }

    /** The restored database holds the sample's rows, its queries hold, and its tables still belong to the owner. */
    private static void assertRestoredIsTheSample(DemoEnvironment env) throws SQLException {
        try (Connection c = connect(env, DemoSettings.RESTORED_DATABASE); Statement s = c.createStatement()) {
            for (Map.Entry<String, Integer> table : DemoSample.ROWS.entrySet()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.getKey())) {
                    rs.next();
                    assertEquals(table.getValue().longValue(), rs.getLong(1), table.getKey());
                }
            }
            for (String check : DemoSample.CHECKS) {
                try (ResultSet rs = s.executeQuery(check)) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), check);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")) {
                rs.next();
                assertEquals(DemoSample.OWNER, rs.getString(1));
                assertFalse(rs.next());
            }
        }
    }

    private static Connection connect(DemoEnvironment env, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", env.secrets().postgresPassword());
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + env.postgresPort() + "/" + database,
                props);
    }

    /** The backups (not their manifests or drill records) of the sample database in the demo's bucket. */
    private static List<String> backupKeys(DemoEnvironment env) {
        StorageSettings storage = StorageSettings.builder(StorageSettings.Provider.S3_COMPATIBLE)
                .endpoint(env.s3Endpoint().toString()).bucket(DemoStorage.BUCKET).prefix("")
                .credentials(env.secrets().s3AccessKey(), env.secrets().s3SecretKey()).build();
        try (S3Client s3 = S3Clients.create(storage)) {
            return s3.listObjectsV2Paginator(r -> r.bucket(DemoStorage.BUCKET)
                            .prefix(DemoSettings.PREFIX + "/" + DemoSample.DATABASE + "/"))
                    .contents().stream().map(S3Object::key).filter(k -> k.endsWith(".dump.age")).toList();
        }
    }
}
