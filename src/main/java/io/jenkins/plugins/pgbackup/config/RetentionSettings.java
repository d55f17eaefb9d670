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
 * The grace period for leftovers of unfinished backups is set globally and per storage target (the step does not
 * offer it: it protects uploads of every job writing there, so it is the administrator's).
 */
public final class RetentionSettings implements Describable<RetentionSettings> {

    private Integer keepLast;
    private Integer keepDays;
    private Integer keepDaily;
    private Integer keepWeekly;
    private Integer keepMonthly;
    private Integer minKept;
    private boolean dryRun;
    private Integer unfinishedGraceHours;

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

    /** Hours before leftovers of unfinished backups are deleted; {@code null} inherits (default 24). */
    public Integer getUnfinishedGraceHours() {
        return unfinishedGraceHours;
    }

    /** Kept as given, so validation can name a wrong value; a blank form field arrives as {@code null}. */
    @DataBoundSetter
    public void setUnfinishedGraceHours(Integer unfinishedGraceHours) {
        this.unfinishedGraceHours = unfinishedGraceHours;
    }

    /** Every value checked; the first error, if any. */
    public FieldCheck validate() {
        return ConfigValidation.worst(List.of(ConfigValidation.retentionCount(keepLast),
                ConfigValidation.retentionCount(keepDays), ConfigValidation.retentionCount(keepDaily),
                ConfigValidation.retentionCount(keepWeekly), ConfigValidation.retentionCount(keepMonthly),
                ConfigValidation.minKept(minKept), ConfigValidation.unfinishedGraceHours(unfinishedGraceHours)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetentionSettings r && Objects.equals(keepLast, r.keepLast)
                && Objects.equals(keepDays, r.keepDays) && Objects.equals(keepDaily, r.keepDaily)
                && Objects.equals(keepWeekly, r.keepWeekly) && Objects.equals(keepMonthly, r.keepMonthly)
                && Objects.equals(minKept, r.minKept) && dryRun == r.dryRun
                && Objects.equals(unfinishedGraceHours, r.unfinishedGraceHours);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keepLast, keepDays, keepDaily, keepWeekly, keepMonthly, minKept, dryRun,
                unfinishedGraceHours);
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

        public FormValidation doCheckUnfinishedGraceHours(@QueryParameter String value) {
            return CredentialsForms.toForm(ConfigValidation.unfinishedGraceHours(FormNumbers.parseOrNull(value)));
        }

        private static FormValidation count(String value) {
            return CredentialsForms.toForm(ConfigValidation.retentionCount(FormNumbers.parseOrNull(value)));
        }
    }
}
