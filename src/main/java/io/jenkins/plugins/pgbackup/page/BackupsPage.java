package io.jenkins.plugins.pgbackup.page;

import hudson.Extension;
import hudson.model.RootAction;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.freshness.FreshnessChecker;
import io.jenkins.plugins.pgbackup.freshness.FreshnessStatus;
import io.jenkins.plugins.pgbackup.overview.BackupsOverview;
import io.jenkins.plugins.pgbackup.overview.OverviewBuilder;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.verb.POST;

/**
 * The <em>PostgreSQL Backups</em> page, {@code /postgresql-backups/}: per configured storage target and database the
 * newest backup, its last restore drill and the freshness alarm. Overall/Read to see it; Administer to run a check.
 * Storage is read with the global configuration's credentials, and only what the page model holds is shown (never a
 * credential).
 */
@Extension
public final class BackupsPage implements RootAction, StaplerProxy {
    public static final String URL_NAME = "postgresql-backups";

    public BackupsPage() {
        FreshnessService.get().ensureScheduled();
    }

    @Override
    public String getIconFileName() {
        return Jenkins.get().hasPermission(Jenkins.READ) ? "symbol-server" : null;
    }

    @Override
    public String getDisplayName() {
        return Messages.BackupsPage_DisplayName();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** Every request to the page and below it needs Overall/Read. */
    @Override
    public Object getTarget() {
        Jenkins.get().checkPermission(Jenkins.READ);
        return this;
    }

    /** Reads every configured storage target now (each view of the page). */
    public BackupsOverview getOverview() throws InterruptedException {
        String root = Jenkins.get().getRootUrl();
        PgBackupGlobalConfiguration config = PgBackupGlobalConfiguration.get();
        return new OverviewBuilder(new ControllerTargets(config, true, Clock.systemUTC()),
                FreshnessRules.of(config.getConnections()), root, Clock.systemUTC())
                .build(config.getStorageTargetNames());
    }

    /** The alarms of the last periodic check: what stays on until backups are fresh again. */
    public List<FreshnessStatus> getAlarms() {
        FreshnessChecker.CheckReport r = FreshnessService.get().getLast();
        return r == null ? List.of() : r.alarms();
    }

    /** Rules whose storage could not be read at the last check. */
    public List<FreshnessStatus> getWarnings() {
        FreshnessChecker.CheckReport r = FreshnessService.get().getLast();
        return r == null ? List.of() : r.unknown();
    }

    /** When the last check ran, or {@code null}. */
    public String getLastCheck() {
        FreshnessChecker.CheckReport r = FreshnessService.get().getLast();
        return r == null ? null : r.checkedAt().toString();
    }

    public boolean isAdministrator() {
        return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
    }

    /** "Check now": runs the freshness check (and sends what changed), then shows the page again. */
    @POST
    public HttpResponse doCheckNow() throws IOException, InterruptedException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        FreshnessService.get().checkNow();
        return HttpResponses.redirectViaContextPath(URL_NAME + "/");
    }
}
