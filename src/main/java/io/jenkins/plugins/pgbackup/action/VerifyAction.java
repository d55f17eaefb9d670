package io.jenkins.plugins.pgbackup.action;

import hudson.model.Run;
import io.jenkins.plugins.pgbackup.steps.VerifyOutcome;
import io.jenkins.plugins.pgbackup.verify.VerifyCheck;
import io.jenkins.plugins.pgbackup.verify.VerifyRecord;
import java.util.List;
import jenkins.model.RunAction2;

/** One restore drill a build ran, shown on the build's page: which backup, where, and every check with its outcome. */
public final class VerifyAction implements RunAction2 {

    private final int index;
    private final VerifyRecord record;
    private final String recordKey;
    private transient Run<?, ?> run;

    public VerifyAction(int index, VerifyOutcome o) {
        this.index = index;
        this.record = o.record();
        this.recordKey = o.recordKey();
    }

    @Override
    public String getIconFileName() {
        return "symbol-check";
    }

    @Override
    public String getDisplayName() {
        return Messages.VerifyAction_DisplayName(record.getDatabase());
    }

    @Override
    public String getUrlName() {
        return "pgverify-" + index;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    public VerifyRecord getRecord() {
        return record;
    }

    public boolean isPassed() {
        return record.isPassed();
    }

    public String getSummary() {
        return record.getSummary();
    }

    public String getSource() {
        return "s3://" + record.getBucket() + "/" + record.getKey();
    }

    /** Where the result was stored next to the backup, or {@code null}. */
    public String getRecordLocation() {
        return recordKey == null ? null : "s3://" + record.getBucket() + "/" + recordKey;
    }

    public List<VerifyCheck> getChecks() {
        return record.getChecks();
    }

    public String getDurationText() {
        return Formats.duration(record.getDurationMillis());
    }
}
