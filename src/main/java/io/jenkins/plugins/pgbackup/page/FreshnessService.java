package io.jenkins.plugins.pgbackup.page;

import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.freshness.AlarmStateFile;
import io.jenkins.plugins.pgbackup.freshness.CheckLog;
import io.jenkins.plugins.pgbackup.freshness.FreshnessAlerts;
import io.jenkins.plugins.pgbackup.freshness.FreshnessChecker;
import io.jenkins.plugins.pgbackup.freshness.TaskLogFile;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.util.Timer;

/**
 * Runs the freshness check on the controller (every {@value #PERIOD_MINUTES} minutes, and on demand) and keeps the
 * last report for the backups page, its badge and the {@link FreshnessMonitor}. The alarm states live in
 * {@code JENKINS_HOME/}{@value #STATE_FILE}, so a restart neither repeats nor loses a message; each periodic run is
 * logged in {@code JENKINS_HOME/logs/tasks/}{@value #TASK_NAME}{@code .log}, where Jenkins keeps its own tasks' logs.
 *
 * <p>Jenkins' {@code AsyncPeriodicWork} is the home this task is meant to have; the compile-only API this plugin is
 * built against declares it, but its {@code SafeTimerTask} lacks the final {@code run()} and the abstract
 * {@code doRun()}, so no subclass compiles against both it and the real core. Until it does, the task runs on
 * Jenkins' shared {@code jenkins.util.Timer}, scheduled when the page, the monitor or this service is first used.
 */
@Extension
public final class FreshnessService {
    public static final long PERIOD_MINUTES = 5;
    public static final String STATE_FILE = "io.jenkins.plugins.pgbackup.freshness-alarms.properties";
    public static final String TASK_NAME = "PostgreSQL backup freshness check";

    private static final Logger LOGGER = Logger.getLogger(FreshnessService.class.getName());

    private final AtomicBoolean scheduled = new AtomicBoolean();

    private volatile FreshnessChecker.CheckReport last;
    /** Alarms an administrator dismissed from the monitor ({@link FreshnessAlerts#alarmKeys()}); until restart. */
    private volatile Set<String> dismissed = Set.of();

    /** One per Jenkins: {@link #get()}. */
    public FreshnessService() {}

    /** The service, its periodic check scheduled. */
    public static FreshnessService get() {
        FreshnessService s = ExtensionList.lookupSingleton(FreshnessService.class);
        s.ensureScheduled();
        return s;
    }

    private void ensureScheduled() {
        if (scheduled.compareAndSet(false, true)) {
            Timer.get().scheduleWithFixedDelay(this::runPeriodic, 1, PERIOD_MINUTES, TimeUnit.MINUTES);
        }
    }

    /** One periodic run: the check, its verdicts in the task log; failures logged, never thrown at the timer. */
    void runPeriodic() {
        Instant started = Instant.now();
        List<String> lines;
        try {
            lines = CheckLog.lines(checkNow());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lines = List.of("Interrupted.");
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "The backup freshness check failed", e);
            lines = List.of("The check failed: " + e);
        }
        try {
            taskLog().append(started, Instant.now(), lines);
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Cannot write the freshness check's task log", e);
        }
    }

    /** {@code JENKINS_HOME/logs/tasks/}{@value #TASK_NAME}{@code .log}. */
    public static TaskLogFile taskLog() {
        return new TaskLogFile(new File(Jenkins.get().getRootDir(), "logs/tasks/" + TASK_NAME + ".log").toPath());
    }

    /**
     * Checks every configured rule now; returns the report (also kept for {@link #getLast()}). Synchronized: the
     * periodic check and "Check now" never run at once, so one change is never announced twice.
     */
    public synchronized FreshnessChecker.CheckReport checkNow() throws InterruptedException, IOException {
        Jenkins j = Jenkins.get();
        String root = j.getRootUrl();
        PgBackupGlobalConfiguration config = PgBackupGlobalConfiguration.get();
        FreshnessChecker checker = new FreshnessChecker(new ControllerTargets(config, false, Clock.systemUTC()),
                new AlarmStateFile(new File(j.getRootDir(), STATE_FILE).toPath()), new DiscordAlarmSink(config),
                Clock.systemUTC(), root == null ? null : root + BackupsPage.URL_NAME + "/",
                Messages.BackupsPage_DisplayName());
        FreshnessChecker.CheckReport report = checker.check(FreshnessRules.of(config.getConnections()));
        dismissed = FreshnessAlerts.of(report).stillDismissed(dismissed);
        last = report;
        return report;
    }

    /** The last check's report, or {@code null} before the first check since start. */
    public FreshnessChecker.CheckReport getLast() {
        return last;
    }

    /** The last check as the badge and the monitor read it. */
    public FreshnessAlerts alerts() {
        return FreshnessAlerts.of(last);
    }

    /** Whether an alarm is on that no administrator dismissed. */
    public boolean isMonitorShown() {
        return alerts().monitorShown(dismissed);
    }

    /** Hides the monitor for the alarms on now; a new or changed alarm shows it again. */
    public synchronized void dismissCurrentAlarms() {
        Set<String> all = new HashSet<>(dismissed);
        all.addAll(alerts().alarmKeys());
        dismissed = Set.copyOf(all);
    }
}
