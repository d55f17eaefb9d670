package io.jenkins.plugins.pgbackup.verify;

import io.jenkins.plugins.pgbackup.restore.RestoreRequest;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One restore drill: which backup, which server, which checks. The restore part is a {@link RestoreRequest} whose
 * target names the server (its database is only used to connect for creating and dropping the scratch database);
 * the drill restores into a scratch database of its own instead.
 */
public final class VerifyRequest implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** How old a marked scratch database without sessions must be before another run drops it. */
    public static final Duration DEFAULT_LEFTOVER_GRACE = Duration.ofMinutes(10);

    private final RestoreRequest restore;
    private final String scratchDatabase;
    private final String build;
    private final String buildUrl;
    private final LinkedHashMap<String, Long> minRows;
    private final ArrayList<String> sql;
    private final Duration leftoverGrace;
    private final boolean writeRecord;

    private VerifyRequest(Builder b) {
        this.restore = b.restore;
        this.scratchDatabase = b.scratchDatabase;
        this.build = b.build;
        this.buildUrl = b.buildUrl;
        this.minRows = new LinkedHashMap<>(b.minRows);
        this.sql = new ArrayList<>(b.sql);
        this.leftoverGrace = b.leftoverGrace;
        this.writeRecord = b.writeRecord;
    }

    public static Builder builder(RestoreRequest restore) {
        return new Builder(restore);
    }

    public RestoreRequest getRestore() {
        return restore;
    }

    /** The scratch database's name as given, or {@code null} for {@code pgverify_<db>_<build>}. */
    public String getScratchDatabase() {
        return scratchDatabase;
    }

    /** The build number (or another tag) in the default scratch name; may be {@code null}. */
    public String getBuild() {
        return build;
    }

    /** The verifying build's URL relative to Jenkins ({@code job/x/42/}), for the record; may be {@code null}. */
    public String getBuildUrl() {
        return buildUrl;
    }

    /** Table name (as {@code to_regclass} reads it) to the fewest rows it must have. */
    public Map<String, Long> getMinRows() {
        return java.util.Collections.unmodifiableMap(minRows);
    }

    /** Queries whose single value must be {@code true}. */
    public List<String> getSql() {
        return List.copyOf(sql);
    }

    public Duration getLeftoverGrace() {
        return leftoverGrace;
    }

    /** Whether to write {@code <key>.verify.json} next to the backup. */
    public boolean isWriteRecord() {
        return writeRecord;
    }

    /** Collects a request. */
    public static final class Builder {
        private final RestoreRequest restore;
        private String scratchDatabase;
        private String build;
        private String buildUrl;
        private final Map<String, Long> minRows = new LinkedHashMap<>();
        private final List<String> sql = new ArrayList<>();
        private Duration leftoverGrace = DEFAULT_LEFTOVER_GRACE;
        private boolean writeRecord = true;

        private Builder(RestoreRequest restore) {
            this.restore = Objects.requireNonNull(restore, "restore");
        }

        public Builder scratchDatabase(String value) {
            this.scratchDatabase = value == null || value.isBlank() ? null : value;
            return this;
        }

        public Builder build(String value) {
            this.build = value;
            return this;
        }

        public Builder buildUrl(String value) {
            this.buildUrl = value;
            return this;
        }

        public Builder minRows(Map<String, Long> value) {
            this.minRows.clear();
            if (value != null) {
                this.minRows.putAll(value);
            }
            return this;
        }

        public Builder sql(List<String> value) {
            this.sql.clear();
            if (value != null) {
                this.sql.addAll(value);
            }
            return this;
        }

        public Builder leftoverGrace(Duration value) {
            this.leftoverGrace = Objects.requireNonNull(value, "leftoverGrace");
            return this;
        }

        public Builder writeRecord(boolean value) {
            this.writeRecord = value;
            return this;
        }

        /** @throws IllegalArgumentException for an unusable scratch name, a negative minimum or a blank query */
        public VerifyRequest build() {
            if (scratchDatabase != null) {
                ScratchDatabases.problem(scratchDatabase).ifPresent(p -> {
                    throw new IllegalArgumentException(p);
                });
            }
            minRows.forEach((table, min) -> {
                if (table == null || table.isBlank() || min == null || min < 0) {
                    throw new IllegalArgumentException("minRows needs a table name and a number of rows of at least "
                            + "0, not " + table + ": " + min);
                }
            });
            if (sql.stream().anyMatch(q -> q == null || q.isBlank())) {
                throw new IllegalArgumentException("an sql check is empty");
            }
            return new VerifyRequest(this);
        }
    }
}
