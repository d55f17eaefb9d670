package io.jenkins.plugins.pgbackup.action;

import hudson.model.Run;
import jenkins.model.RunAction2;

/**
 * The build a record belongs to, for its page's side panel and caption. The reference is transient: Jenkins hands the
 * build back through {@link #onLoad} when it loads the build, so only the subclasses' own fields are in build.xml.
 */
public abstract class BuildRecordAction implements RunAction2 {

    private transient Run<?, ?> run;

    @Override
    public final void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public final void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public final Run<?, ?> getRun() {
        return run;
    }
}
