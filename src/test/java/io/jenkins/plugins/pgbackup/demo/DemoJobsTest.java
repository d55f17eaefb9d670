package io.jenkins.plugins.pgbackup.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import groovy.lang.GroovyShell;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.steps.PgBackupBuilder;
import io.jenkins.plugins.pgbackup.steps.PgRestoreBuilder;
import io.jenkins.plugins.pgbackup.steps.PgVerifyBuilder;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.Phases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's jobs and configuration as text and objects, without servers; {@code DemoJobsEngineTest} runs them. */
class DemoJobsTest {

    @TempDir
    Path dir;

    private static final Path INIT_SCRIPT = Path.of("src/demo/jenkins-home/init.groovy.d/pgbackup-demo.groovy");

    @Test
    void thePipelineCallsTheStepsWithTheDemosNamesAndPassesTheBackupsKeyOn() {
        String script = DemoJobs.pipelineScript();
        assertTrue(script.contains("    def backup = pgBackup(connection: 'demo-shop', storage: 'demo-bucket')\n"),
                script);
        assertTrue(script.contains("    def restore = pgRestore(storage: 'demo-bucket', key: backup.key, "
                + "connection: 'demo-shop-restored', createDatabase: true, clean: true)\n"), script);
        assertTrue(script.contains("    def drill = pgVerify(storage: 'demo-bucket', key: backup.key, "
                + "connection: 'demo-drills', minRows: ['public.customers': 200, 'public.order_items': 3000, "
                + "'public.orders': 1000, 'public.products': 50], sql: ['select count(*) = 0 from orders o"), script);
        assertTrue(script.startsWith("// ") && script.contains("\nnode {\n") && script.endsWith("}\n"), script);
    }

    @Test
    void theNightlyScriptBacksUpAndDrillsWithoutRestoring() {
        String script = DemoJobs.nightlyScript();
        assertTrue(script.contains("pgBackup(") && script.contains("pgVerify("), script);
        assertFalse(script.contains("pgRestore("), script);
    }

    @Test
    void bothPipelineScriptsAreGroovy() {
        for (String script : List.of(DemoJobs.pipelineScript(), DemoJobs.nightlyScript())) {
            // Parsing compiles: a quote or brace out of place fails here, not in the demo's first build.
            new GroovyShell().parse(script);
        }
    }

    @Test
    void stringsBecomeGroovyLiteralsThatKeepQuotesAndBackslashes() {
        assertEquals("'it\\'s C:\\\\x'", DemoJobs.groovy("it's C:\\x"));
        assertEquals("['a': 1]", DemoJobs.groovy(Map.of("a", 1)));
        assertEquals("[true, 'b']", DemoJobs.groovy(List.of(true, "b")));
        assertEquals("backup.key", DemoJobs.groovy(DemoStep.BACKUP_KEY));
    }

    @Test
    void theFreestyleJobsBuildStepsCarryTheSameArgumentsAsTheFormHoldsThem() {
        List<DemoStep> steps = DemoJobs.freestyleSteps();
        PgBackupBuilder backup = (PgBackupBuilder) DemoJenkins.builder(steps.get(0));
        assertEquals("demo-shop", backup.getConnection());
        assertEquals("demo-bucket", backup.getStorage());
        PgRestoreBuilder restore = (PgRestoreBuilder) DemoJenkins.builder(steps.get(1));
        assertEquals("shop", restore.getLatest());
        assertEquals(null, restore.getKey());
        assertEquals("demo-shop-restored", restore.getConnection());
        assertTrue(restore.isCreateDatabase() && restore.isClean());
        PgVerifyBuilder drill = (PgVerifyBuilder) DemoJenkins.builder(steps.get(2));
        assertEquals("shop", drill.getLatest());
        assertEquals("demo-drills", drill.getConnection());
        assertEquals("public.customers=200\npublic.order_items=3000\npublic.orders=1000\npublic.products=50",
                drill.getMinRows());
        assertEquals(String.join("\n", DemoSample.CHECKS), drill.getSql());
    }

    @Test
    void anArgumentTheBuildStepDoesNotHaveIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoBinding.bind(new PgBackupBuilder(), Map.of("bucketName", "x"), v -> v));
        assertEquals("PgBackupBuilder has no argument 'bucketName'", e.getMessage());
    }

    @Test
    void theDemosConnectionsAndTargetPassTheChecksOfTheGlobalConfiguration() throws Exception {
        DemoSecrets secrets = DemoSecrets.loadOrCreate(dir);
        DemoSettings settings = new DemoSettings(new DemoEnvironment(54321, URI.create("http://127.0.0.1:9000"),
                secrets), List.of());
        for (DatabaseConnection c : settings.connections()) {
            assertFalse(c.validate().isError(), c + ": " + c.validate());
            assertEquals(54321, c.getPort());
        }
        StorageTarget target = settings.findStorageTarget(DemoSettings.STORAGE);
        assertFalse(target.validate().isError(), target.validate().toString());
        assertEquals(secrets.ageRecipient(), target.getAgeRecipients());
        assertEquals(DemoCredentials.AGE_IDENTITY, target.getAgeIdentityCredentialsId());
        assertEquals(DemoSettings.STORAGE, settings.findConnection(DemoSettings.CONNECTION).getFreshnessStorage());
    }

    @Test
    void secretsAreMadeOnceAndReadBackFromAnOwnerOnlyFile() throws Exception {
        DemoSecrets made = DemoSecrets.loadOrCreate(dir);
        assertEquals(made, DemoSecrets.loadOrCreate(dir));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(DemoSecrets.FILE))));
        assertTrue(made.ageIdentity().startsWith("AGE-SECRET-KEY-1"));
        assertTrue(made.ageRecipient().startsWith("age1"));
        assertFalse(made.toString().contains(made.postgresPassword()));
    }

    @Test
    void theInitScriptIsGroovyAndCallsWhatDemoJenkinsOffers() throws Exception {
        String script = Files.readString(INIT_SCRIPT, StandardCharsets.UTF_8);
        // Syntax only: its imports are Jenkins classes the offline build has no stubs for.
        CompilationUnit unit = new CompilationUnit();
        unit.addSource("pgbackup-demo.groovy", script);
        unit.compile(Phases.CONVERSION);
        assertTrue(script.contains("'io.jenkins.plugins.pgbackup.demo.DemoJenkins'"));
        assertPublicStatic(DemoJenkins.class.getMethod("newAdminPassword"), String.class);
        assertPublicStatic(DemoJenkins.class.getMethod("announceAdmin", String.class, String.class), void.class);
        assertTrue(script.contains("getMethod('setUp')"));
        assertTrue(Modifier.isStatic(DemoJenkins.class.getMethod("setUp").getModifiers()));
        assertTrue(script.contains("getField('NIGHTLY_CRON')"));
        assertEquals(DemoJobs.NIGHTLY_CRON, DemoJenkins.class.getField("NIGHTLY_CRON").get(null));
    }

    private static void assertPublicStatic(Method m, Class<?> returns) {
        assertTrue(Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()), m.toString());
        assertEquals(returns, m.getReturnType(), m.toString());
    }
}
