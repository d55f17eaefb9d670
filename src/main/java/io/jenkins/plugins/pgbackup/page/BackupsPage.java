package io.jenkins.plugins.pgbackup.page;

import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.freshness.FreshnessAlerts;
import io.jenkins.plugins.pgbackup.freshness.FreshnessChecker;
import io.jenkins.plugins.pgbackup.freshness.FreshnessStatus;
import io.jenkins.plugins.pgbackup.overview.BackupsOverview;
import io.jenkins.plugins.pgbackup.overview.OverviewBuilder;
import io.jenkins.plugins.pgbackup.overview.TimeTexts;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import jenkins.management.Badge;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.verb.POST;

/**
 * The <em>PostgreSQL Backups</em> page, under <em>Manage Jenkins</em> (Status) and at {@code /postgresql-backups/}:
 * per configured storage target and database the newest backup, its last restore drill and the freshness alarm; the
 * link carries a badge while an alarm is on. Overall/Read to see the page (the link shows to everyone who sees
 * <em>Manage Jenkins</em>); Administer to run a check. Storage is read with the global configuration's credentials,
 * and only what the page model holds is shown (never a credential).
 */
@Extension
public final class BackupsPage extends ManagementLink implements StaplerProxy {
    public static final String URL_NAME = "postgresql-backups";

    @Override
    public String getIconFileName() {
        return "symbol-server";
    }

    @Override
    public String getDisplayName() {
        return Messages.BackupsPage_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.BackupsPage_Description();
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    @Override
    public Category getCategory() {
        return Category.STATUS;
    }

    /** The page needs only Overall/Read, so does the link (on a screen that itself needs more). */
    @Override
    public Permission getRequiredPermission() {
        return Jenkins.READ;
    }

    /** The number of stale or missing backups (red), else of storage targets that could not be read (amber). */
    @Override
    public Badge getBadge() {
        return FreshnessService.get().alerts().badge().map(BackupsPage::badge).orElse(null);
    }

    private static Badge badge(FreshnessAlerts.Badge b) {
        String count = Integer.toString(b.count());
        return b.severity() == FreshnessAlerts.Severity.DANGER
                ? new Badge(count, Messages.BackupsPage_BadgeAlarms(count), Badge.Severity.DANGER)
                : new Badge(count, Messages.BackupsPage_BadgeUnknown(count), Badge.Severity.WARNING);
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

    /** How long ago the last check ran ("25 s"), or {@code null}. */
    public String getLastCheckAge() {
        FreshnessChecker.CheckReport r = FreshnessService.get().getLast();
        return r == null ? null : TimeTexts.age(r.checkedAt(), Instant.now());
    }

    /** When the last check ran ("2026-12-06 11:14:46 UTC"), or {@code null}. */
    public String getLastCheckTime() {
        FreshnessChecker.CheckReport r = FreshnessService.get().getLast();
        return r == null ? null : TimeTexts.exact(r.checkedAt());
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
