package io.jenkins.plugins.pgbackup.page;

import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.freshness.AlarmStateFile;
import io.jenkins.plugins.pgbackup.freshness.FreshnessChecker;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.util.Timer;

/**
 * Runs the freshness check on the controller every {@value #PERIOD_MINUTES} minutes (on Jenkins' shared timer) and
 * on demand, and keeps the last report for the backups page. The alarm states live in
 * {@code JENKINS_HOME/}{@value #STATE_FILE}, so a restart neither repeats nor loses a message.
 *
 * <p>Jenkins' own {@code AsyncPeriodicWork} is the natural home of this task; the compile-only API this plugin builds
 * against does not have it yet, so the task is scheduled on {@code jenkins.util.Timer} when the page's extension is
 * created.
 */
public final class FreshnessService {
    public static final long PERIOD_MINUTES = 5;
    public static final String STATE_FILE = "io.jenkins.plugins.pgbackup.freshness-alarms.properties";

    private static final Logger LOGGER = Logger.getLogger(FreshnessService.class.getName());
    private static final FreshnessService INSTANCE = new FreshnessService();

    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile FreshnessChecker.CheckReport last;

    private FreshnessService() {}

    public static FreshnessService get() {
        return INSTANCE;
    }

    /** Schedules the periodic check once per controller. */
    void ensureScheduled() {
        if (scheduled.compareAndSet(false, true)) {
            Timer.get().scheduleWithFixedDelay(this::periodic, 1, PERIOD_MINUTES, TimeUnit.MINUTES);
        }
    }

    private void periodic() {
        try {
            checkNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "The backup freshness check failed", e);
        }
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
        last = report;
        return report;
    }

    /** The last check's report, or {@code null} before the first check since start. */
    public FreshnessChecker.CheckReport getLast() {
        return last;
    }
}
