package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.Text;
import java.util.function.UnaryOperator;

/**
 * Everything {@code pgVerify} and the freestyle restore drill accept; see {@link CommonOptions}. The connection names
 * the server the scratch database is made on; its database is only where pgVerify connects to create and drop it.
 */
public final class VerifyOptions extends CommonOptions {
    private String key;
    private String latest;
    private String scratchDatabase;
    private String minRows;
    private String sql;
    private boolean noOwner;

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = Text.trimToNull(key);
    }

    public String getLatest() {
        return latest;
    }

    public void setLatest(String latest) {
        this.latest = latest == null || latest.isBlank() ? null : latest;
    }

    /** The scratch database's name; {@code null} for {@code pgverify_<db>_<build>}. */
    public String getScratchDatabase() {
        return scratchDatabase;
    }

    public void setScratchDatabase(String scratchDatabase) {
        this.scratchDatabase = Text.trimToNull(scratchDatabase);
    }

    /** {@code table=rows} entries, one per line or separated by commas. */
    public String getMinRows() {
        return minRows;
    }

    public void setMinRows(String minRows) {
        this.minRows = Text.trimToNull(minRows);
    }

    /** Queries that must return true, one per line. */
    public String getSql() {
        return sql;
    }

    public void setSql(String sql) {
        this.sql = Text.trimToNull(sql);
    }

    public boolean isNoOwner() {
        return noOwner;
    }

    public void setNoOwner(boolean noOwner) {
        this.noOwner = noOwner;
    }

    /** The restore part, for {@link RestoreRequestMapper}: the same key, storage, connection and options. */
    RestoreOptions toRestoreOptions() {
        RestoreOptions r = new RestoreOptions();
        copyTo(r, UnaryOperator.identity());
        r.setKey(key);
        r.setLatest(latest);
        r.setNoOwner(noOwner);
        return r;
    }

    /** A copy with text options passed through {@code expand}: freestyle builds expand {@code $VARIABLES}. */
    public VerifyOptions expanded(UnaryOperator<String> expand) {
        VerifyOptions c = new VerifyOptions();
        copyTo(c, expand);
        c.setKey(apply(expand, key));
        c.setLatest(apply(expand, latest));
        c.setScratchDatabase(apply(expand, scratchDatabase));
        c.setMinRows(apply(expand, minRows));
        c.setSql(sql); // queries are taken as written: $ is SQL's (dollar quoting, $1)
        c.setNoOwner(noOwner);
        return c;
    }
}
