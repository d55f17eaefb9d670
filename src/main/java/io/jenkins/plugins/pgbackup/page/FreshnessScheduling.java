package io.jenkins.plugins.pgbackup.page;

import hudson.Extension;
import hudson.model.RootAction;

/**
 * Starts the periodic freshness check as soon as Jenkins renders a page for anyone: Jenkins creates its root actions
 * then, while the page and the monitor are created only when an administrator looks. Shows nothing and binds no URL.
 * It stands in for {@code AsyncPeriodicWork}, which Jenkins starts itself (see {@link FreshnessService}).
 */
@Extension
public final class FreshnessScheduling implements RootAction {

    public FreshnessScheduling() {
        FreshnessService.get();
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
