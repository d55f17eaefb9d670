package io.jenkins.plugins.pgbackup.config;

import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import java.util.List;
import java.util.Objects;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * Which older backups of a database to prune after a successful backup. Set globally, per storage target and per step;
 * an empty value inherits from the level above, 0 switches that rule off. With no rule at any level nothing is pruned.
 */
public final class RetentionSettings implements Describable<RetentionSettings> {

    private Integer keepLast;
    private Integer keepDays;
    private Integer keepDaily;
    private Integer keepWeekly;
    private Integer keepMonthly;
    private Integer minKept;
    private boolean dryRun;

    @DataBoundConstructor
    public RetentionSettings() {}

    public Integer getKeepLast() {
        return keepLast;
    }

    @DataBoundSetter
    public void setKeepLast(Integer keepLast) {
        this.keepLast = keepLast;
    }

    public Integer getKeepDays() {
        return keepDays;
    }

    @DataBoundSetter
    public void setKeepDays(Integer keepDays) {
        this.keepDays = keepDays;
    }

    public Integer getKeepDaily() {
        return keepDaily;
    }

    @DataBoundSetter
    public void setKeepDaily(Integer keepDaily) {
        this.keepDaily = keepDaily;
    }

    public Integer getKeepWeekly() {
        return keepWeekly;
    }

    @DataBoundSetter
    public void setKeepWeekly(Integer keepWeekly) {
        this.keepWeekly = keepWeekly;
    }

    public Integer getKeepMonthly() {
        return keepMonthly;
    }

    @DataBoundSetter
    public void setKeepMonthly(Integer keepMonthly) {
        this.keepMonthly = keepMonthly;
    }

    public Integer getMinKept() {
        return minKept;
    }

    @DataBoundSetter
    public void setMinKept(Integer minKept) {
        this.minKept = minKept;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    /** Log what would be pruned, delete nothing. */
    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /** Every value checked; the first error, if any. */
    public FieldCheck validate() {
        return ConfigValidation.worst(List.of(ConfigValidation.retentionCount(keepLast),
                ConfigValidation.retentionCount(keepDays), ConfigValidation.retentionCount(keepDaily),
                ConfigValidation.retentionCount(keepWeekly), ConfigValidation.retentionCount(keepMonthly),
                ConfigValidation.minKept(minKept)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetentionSettings r && Objects.equals(keepLast, r.keepLast)
                && Objects.equals(keepDays, r.keepDays) && Objects.equals(keepDaily, r.keepDaily)
                && Objects.equals(keepWeekly, r.keepWeekly) && Objects.equals(keepMonthly, r.keepMonthly)
                && Objects.equals(minKept, r.minKept) && dryRun == r.dryRun;
    }

    @Override
    public int hashCode() {
        return Objects.hash(keepLast, keepDays, keepDaily, keepWeekly, keepMonthly, minKept, dryRun);
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<RetentionSettings> {
        @Override
        public String getDisplayName() {
            return Messages.RetentionSettings_DisplayName();
        }

        public FormValidation doCheckKeepLast(@QueryParameter String value) {
            return count(value);
        }

        public FormValidation doCheckKeepDays(@QueryParameter String value) {
            return count(value);
        }

        public FormValidation doCheckKeepDaily(@QueryParameter String value) {
            return count(value);
        }

        public FormValidation doCheckKeepWeekly(@QueryParameter String value) {
            return count(value);
        }

        public FormValidation doCheckKeepMonthly(@QueryParameter String value) {
            return count(value);
        }

        public FormValidation doCheckMinKept(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.minKept(FormNumbers.parseOrNull(value)));
        }

        private static FormValidation count(String value) {
            return CredentialsForms.toForm(ConfigValidation.retentionCount(FormNumbers.parseOrNull(value)));
        }
    }
}
