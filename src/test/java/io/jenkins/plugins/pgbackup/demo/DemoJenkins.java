package io.jenkins.plugins.pgbackup.demo;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Descriptor;
import hudson.model.FreeStyleProject;
import hudson.tasks.Builder;
import hudson.util.Secret;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.steps.PgBackupBuilder;
import io.jenkins.plugins.pgbackup.steps.PgRestoreBuilder;
import io.jenkins.plugins.pgbackup.steps.PgVerifyBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;

/**
 * The Jenkins part of the demo ({@code mvn hpi:run -Pdemo}), called once per start by the init script the demo
 * profile puts into {@code $JENKINS_HOME/init.groovy.d} ({@code src/demo/init.groovy.d/pgbackup-demo.groovy}): starts
 * the demo's database and S3 API beside Jenkins, then creates or updates the credentials, the plugin's connections and
 * storage target, and creates the three jobs unless an earlier start made them.
 *
 * <p>It is loaded from the test classes by a class loader of the init script's, over the plugins' classes, so it
 * uses only public API of Jenkins and the plugin.
 */
public final class DemoJenkins {
    private static final Logger LOGGER = Logger.getLogger(DemoJenkins.class.getName());

    /** The demo's folder: the services' data and secrets ({@code work/demo}). */
    static final String DIR = "pgbackup.demo.dir";
    /** The folder with zonky's PostgreSQL binaries jars. */
    static final String BINARIES = "pgbackup.demo.binaries";
    /** The compiled test classes, the plugin's classes, and a file listing the test class path. */
    static final String TEST_CLASSES = "pgbackup.demo.classes";
    static final String MAIN_CLASSES = "pgbackup.demo.mainClasses";
    static final String CLASS_PATH_FILE = "pgbackup.demo.classpath";
    /** Where {@code .ci/install-pg-clients} puts PostgreSQL clients, searched when present. */
    static final String CLIENTS = "pgbackup.demo.clients";

    public static final String NIGHTLY_CRON = DemoJobs.NIGHTLY_CRON;
    public static final String NIGHTLY = DemoJobs.NIGHTLY;

    private static DemoServicesProcess services;

    private DemoJenkins() {}

    /** Sets the demo up; returns the nightly job, for the init script to give its timer trigger. */
    public static synchronized WorkflowJob setUp() throws Exception {
        Path dir = Path.of(required(DIR));
        if (services == null) {
            services = DemoServicesProcess.start(dir, Path.of(required(BINARIES)), classPath(),
                    dir.resolve("services.log").toFile(), line -> LOGGER.info(line));
            DemoServicesProcess started = services;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started), "pgbackup-demo-stop"));
        }
        DemoEnvironment env = services.environment();
        credentials(DemoCredentials.of(env.secrets()));
        configure(new DemoSettings(env, toolSearchRoots()));
        WorkflowJob pipeline = pipeline(DemoJobs.PIPELINE, DemoJobs.pipelineScript(),
                "Backs up the demo's sample database, restores the backup into a new database and runs a restore "
                        + "drill on it.");
        freestyle();
        WorkflowJob nightly = pipeline(DemoJobs.NIGHTLY, DemoJobs.nightlyScript(),
                "Every night: a backup of the demo's sample database and a restore drill of it.");
        LOGGER.info(() -> "PostgreSQL Backup demo: PostgreSQL " + DemoDatabase.MAJOR + " on localhost:"
                + env.postgresPort() + ", S3 API on " + env.s3Endpoint() + ", bucket " + DemoStorage.BUCKET
                + "; run " + pipeline.getName() + ", then see " + "the build page and PostgreSQL Backups");
        return nightly;
    }

    /** A password for the demo's admin user, made by the init script on the first start. */
    public static String newAdminPassword() {
        return DemoSecrets.password(20);
    }

    /** Prints the admin user's password once, as Jenkins prints its initial admin password. */
    public static void announceAdmin(String user, String password) {
        String line = "*".repeat(72);
        LOGGER.info(() -> "\n\n" + line + "\n" + line + "\n\nPostgreSQL Backup demo: log in as user '" + user
                + "' with password\n\n" + password + "\n\nIt is printed only this once. To start over, stop Jenkins "
                + "and delete " + System.getProperty(DIR) + ".\n\n" + line + "\n" + line + "\n");
    }

    private static void stop(DemoServicesProcess s) {
        try {
            s.close();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not stop the demo's database and S3 API", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set: start the demo with "
                    + "mvn hpi:run -Pdemo");
        }
        return value;
    }

    private static String classPath() throws IOException {
        String listed = Files.readString(Path.of(required(CLASS_PATH_FILE)), StandardCharsets.UTF_8).strip();
        return String.join(File.pathSeparator, required(TEST_CLASSES), required(MAIN_CLASSES), listed);
    }

    private static List<String> toolSearchRoots() {
        String clients = System.getProperty(CLIENTS);
        return clients != null && Files.isDirectory(Path.of(clients)) ? List.of(clients) : List.of();
    }

    /** The demo's credentials in the global domain, replacing those of an earlier start. */
    private static void credentials(List<DemoCredentials> wanted) throws IOException, Descriptor.FormException {
        SystemCredentialsProvider provider = SystemCredentialsProvider.getInstance();
        List<Credentials> list = provider.getCredentials();
        Set<String> ids = new LinkedHashSet<>();
        wanted.forEach(c -> ids.add(c.id()));
        list.removeIf(c -> c instanceof IdCredentials id && ids.contains(id.getId()));
        for (DemoCredentials c : wanted) {
            list.add(c.isSecretText()
                    ? new StringCredentialsImpl(CredentialsScope.GLOBAL, c.id(), c.description(),
                            Secret.fromString(c.secret()))
                    : new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, c.id(), c.description(),
                            c.username(), c.secret()));
        }
        provider.save();
    }

    /** The demo's connections and target, replacing those of an earlier start (their ports change); others stay. */
    private static void configure(DemoSettings demo) {
        PgBackupGlobalConfiguration config = PgBackupGlobalConfiguration.get();
        config.setConnections(merge(config.getConnections(), demo.connections(), DatabaseConnection::getName));
        config.setStorageTargets(merge(config.getStorageTargets(), demo.storageTargets(), StorageTarget::getName));
        List<String> roots = new ArrayList<>(config.getToolSearchRootList());
        demo.getToolSearchRootList().stream().filter(r -> !roots.contains(r)).forEach(roots::add);
        config.setToolSearchRoots(String.join("\n", roots));
    }

    private static <T> List<T> merge(List<T> existing, List<T> demo, Function<T, String> name) {
        Set<String> names = new LinkedHashSet<>();
        demo.forEach(d -> names.add(name.apply(d)));
        List<T> merged = new ArrayList<>();
        existing.stream().filter(e -> !names.contains(name.apply(e))).forEach(merged::add);
        merged.addAll(demo);
        return merged;
    }

    private static WorkflowJob pipeline(String name, String script, String description)
            throws IOException, Descriptor.FormException {
        Jenkins jenkins = Jenkins.get();
        WorkflowJob job = jenkins.getItemByFullName(name, WorkflowJob.class);
        if (job == null) {
            job = jenkins.createProject(WorkflowJob.class, name);
            job.setDefinition(new CpsFlowDefinition(script, true));
            job.setDescription(description);
        }
        return job;
    }

    private static void freestyle() throws IOException {
        Jenkins jenkins = Jenkins.get();
        if (jenkins.getItemByFullName(DemoJobs.FREESTYLE) != null) {
            return;
        }
        FreeStyleProject job = jenkins.createProject(FreeStyleProject.class, DemoJobs.FREESTYLE);
        for (DemoStep step : DemoJobs.freestyleSteps()) {
            job.getBuildersList().add(builder(step));
        }
        job.setDescription("The demo's backup, restore (of the newest backup, into a new database) and restore drill "
                + "as freestyle build steps.");
    }

    /** A freestyle build step with {@code step}'s arguments, as the form would hold them. */
    public static Builder builder(DemoStep step) {
        Builder builder = switch (step.function()) {
            case "pgBackup" -> new PgBackupBuilder();
            case "pgRestore" -> new PgRestoreBuilder();
            case "pgVerify" -> new PgVerifyBuilder();
            default -> throw new IllegalArgumentException("no build step for " + step.function());
        };
        return DemoBinding.bind(builder, step.arguments(), DemoJobs::formValue);
    }
}
