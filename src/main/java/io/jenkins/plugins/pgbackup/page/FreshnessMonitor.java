package io.jenkins.plugins.pgbackup.page;

import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import io.jenkins.plugins.pgbackup.freshness.FreshnessStatus;
import java.io.IOException;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * Stale or missing backups, shown to administrators on every page (Jenkins' notification area) and on <em>Manage
 * Jenkins</em>, from the last freshness check. <em>Dismiss</em> hides the alarms on now until one is new or changes
 * (see {@link io.jenkins.plugins.pgbackup.freshness.FreshnessAlerts}); turning the monitor off for good is Jenkins'
 * own setting (<em>System</em> &gt; <em>Administrative monitors</em>).
 */
@Extension
public final class FreshnessMonitor extends AdministrativeMonitor {

    @Override
    public String getDisplayName() {
        return Messages.FreshnessMonitor_DisplayName();
    }

    /** Reads the last report only: this runs while pages render. */
    @Override
    public boolean isActivated() {
        return FreshnessService.get().isMonitorShown();
    }

    /** One line per alarm: "prod-billing: STALE: the newest backup of 'billing' is 50 h old, ...". */
    public List<String> getAlarmLines() {
        return FreshnessService.get().alerts().alarms().stream().map(FreshnessMonitor::line).toList();
    }

    private static String line(FreshnessStatus s) {
        return Messages.FreshnessMonitor_Alarm(s.rule().connection(), s.state().name(), s.detail());
    }

    public String getPageUrl() {
        return BackupsPage.URL_NAME + "/";
    }

    /** The monitor's buttons: "dismiss" hides the alarms on now, else the backups page opens. */
    @RequirePOST
    public void doAct(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (req.hasParameter("dismiss")) {
            FreshnessService.get().dismissCurrentAlarms();
            rsp.sendRedirect2(req.getContextPath() + "/manage");
        } else {
            rsp.sendRedirect2(req.getContextPath() + "/" + getPageUrl());
        }
    }
}
