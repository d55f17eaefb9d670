package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.Text;
import java.util.function.UnaryOperator;

/** Everything {@code pgBackup} and the freestyle backup step accept; see {@link CommonOptions}. */
public final class BackupOptions extends CommonOptions {
    private String format;
    private String compression;
    private String postgresVersion;
    private Integer keepLast;
    private Integer keepDays;
    private Integer keepDaily;
    private Integer keepWeekly;
    private Integer keepMonthly;
    private Integer minKept;
    private boolean retentionDryRun;
    private boolean includeGlobals;

    private String ageRecipients;
    private String ageRecipientsCredentialsId;

    /** age recipients (public keys) to encrypt for, over the storage target's; {@code null} for the target's. */
    public String getAgeRecipients() {
        return ageRecipients;
    }

    public void setAgeRecipients(String ageRecipients) {
        this.ageRecipients = Text.trimToNull(ageRecipients);
    }

    /** A Secret text credential holding age recipients, over the storage target's. */
    public String getAgeRecipientsCredentialsId() {
        return ageRecipientsCredentialsId;
    }

    public void setAgeRecipientsCredentialsId(String ageRecipientsCredentialsId) {
        this.ageRecipientsCredentialsId = Text.trimToNull(ageRecipientsCredentialsId);
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = Text.trimToNull(format);
    }

    public String getCompression() {
        return compression;
    }

    public void setCompression(String compression) {
        this.compression = Text.trimToNull(compression);
    }

    public String getPostgresVersion() {
        return postgresVersion;
    }

    public void setPostgresVersion(String postgresVersion) {
        this.postgresVersion = Text.trimToNull(postgresVersion);
    }

    public Integer getKeepLast() {
        return keepLast;
    }

    public void setKeepLast(Integer keepLast) {
        this.keepLast = keepLast;
    }

    public Integer getKeepDays() {
        return keepDays;
    }

    public void setKeepDays(Integer keepDays) {
        this.keepDays = keepDays;
    }

    public Integer getKeepDaily() {
        return keepDaily;
    }

    public void setKeepDaily(Integer keepDaily) {
        this.keepDaily = keepDaily;
    }

    public Integer getKeepWeekly() {
        return keepWeekly;
    }

    public void setKeepWeekly(Integer keepWeekly) {
        this.keepWeekly = keepWeekly;
    }

    public Integer getKeepMonthly() {
        return keepMonthly;
    }

    public void setKeepMonthly(Integer keepMonthly) {
        this.keepMonthly = keepMonthly;
    }

    public Integer getMinKept() {
        return minKept;
    }

    public void setMinKept(Integer minKept) {
        this.minKept = minKept;
    }

    public boolean isRetentionDryRun() {
        return retentionDryRun;
    }

    public void setRetentionDryRun(boolean retentionDryRun) {
        this.retentionDryRun = retentionDryRun;
    }

    /** Also store the cluster's globals; a connection's default turns it on too. */
    public boolean isIncludeGlobals() {
        return includeGlobals;
    }

    public void setIncludeGlobals(boolean includeGlobals) {
        this.includeGlobals = includeGlobals;
    }

    /** A copy with text options passed through {@code expand}: freestyle builds expand {@code $VARIABLES}. */
    public BackupOptions expanded(UnaryOperator<String> expand) {
        BackupOptions c = new BackupOptions();
        copyTo(c, expand);
        c.setFormat(apply(expand, format));
        c.setCompression(apply(expand, compression));
        c.setPostgresVersion(apply(expand, postgresVersion));
        c.setKeepLast(keepLast);
        c.setKeepDays(keepDays);
        c.setKeepDaily(keepDaily);
        c.setKeepWeekly(keepWeekly);
        c.setKeepMonthly(keepMonthly);
        c.setMinKept(minKept);
        c.setRetentionDryRun(retentionDryRun);
        c.setIncludeGlobals(includeGlobals);
        return c;
    }
}
