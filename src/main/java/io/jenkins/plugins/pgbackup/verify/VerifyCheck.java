package io.jenkins.plugins.pgbackup.verify;

import java.io.Serial;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * One check of a restore drill and how it ended.
 *
 * @param name {@code restore}, {@code tables}, {@code minRows:public.orders} or {@code sql[1]}
 * @param detail what was found, for the build page and the result map
 */
public record VerifyCheck(String name, Outcome outcome, String detail) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public VerifyCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        detail = detail == null ? "" : detail;
    }

    /** How a check ended. */
    public enum Outcome {
        PASSED, FAILED, SKIPPED;

        /** "passed", "failed", "skipped": as the result map and the JSON record write it. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Outcome fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    public static VerifyCheck passed(String name, String detail) {
        return new VerifyCheck(name, Outcome.PASSED, detail);
    }

    public static VerifyCheck failed(String name, String detail) {
        return new VerifyCheck(name, Outcome.FAILED, detail);
    }

    public static VerifyCheck skipped(String name, String detail) {
        return new VerifyCheck(name, Outcome.SKIPPED, detail);
    }

    public boolean isFailed() {
        return outcome == Outcome.FAILED;
    }

    /** For jelly views: {@code getOutcomeId()} rather than a record accessor. */
    public String getOutcomeId() {
        return outcome.id();
    }

    public String getName() {
        return name;
    }

    public String getDetail() {
        return detail;
    }
}
