package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.Text;
import java.util.function.UnaryOperator;

/** Everything {@code pgRestore} and the freestyle restore step accept; see {@link CommonOptions}. */
public final class RestoreOptions extends CommonOptions {
    private String key;
    private String latest;
    private boolean clean;
    private boolean createDatabase;
    private boolean noOwner;
    private boolean singleTransaction;
    private boolean restoreGlobals;

    private String ageIdentityCredentialsId;

    /** A Secret text credential with the age identity for encrypted backups, over the storage target's. */
    public String getAgeIdentityCredentialsId() {
        return ageIdentityCredentialsId;
    }

    public void setAgeIdentityCredentialsId(String ageIdentityCredentialsId) {
        this.ageIdentityCredentialsId = Text.trimToNull(ageIdentityCredentialsId);
    }

    /** The object key of the backup to restore. */
    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = Text.trimToNull(key);
    }

    /** Restore the newest backup of this (source) database instead of a given key. */
    public String getLatest() {
        return latest;
    }

    public void setLatest(String latest) {
        this.latest = latest == null || latest.isBlank() ? null : latest;
    }

    public boolean isClean() {
        return clean;
    }

    public void setClean(boolean clean) {
        this.clean = clean;
    }

    public boolean isCreateDatabase() {
        return createDatabase;
    }

    public void setCreateDatabase(boolean createDatabase) {
        this.createDatabase = createDatabase;
    }

    public boolean isNoOwner() {
        return noOwner;
    }

    public void setNoOwner(boolean noOwner) {
        this.noOwner = noOwner;
    }

    public boolean isSingleTransaction() {
        return singleTransaction;
    }

    public void setSingleTransaction(boolean singleTransaction) {
        this.singleTransaction = singleTransaction;
    }

    /** Apply the globals stored with the backup to the target server first. */
    public boolean isRestoreGlobals() {
        return restoreGlobals;
    }

    public void setRestoreGlobals(boolean restoreGlobals) {
        this.restoreGlobals = restoreGlobals;
    }

    /** A copy with text options passed through {@code expand}: freestyle builds expand {@code $VARIABLES}. */
    public RestoreOptions expanded(UnaryOperator<String> expand) {
        RestoreOptions c = new RestoreOptions();
        copyTo(c, expand);
        c.setKey(apply(expand, key));
        c.setLatest(apply(expand, latest));
        c.setClean(clean);
        c.setCreateDatabase(createDatabase);
        c.setNoOwner(noOwner);
        c.setSingleTransaction(singleTransaction);
        c.setRestoreGlobals(restoreGlobals);
        return c;
    }
}
