package io.jenkins.plugins.pgbackup.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** What a test does when a real component it needs is missing: skip on a developer machine, fail in CI. */
public final class Environment {
    private Environment() {}

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the test (outside CI) or fails it (in CI, where missing components are a broken build). */
    public static void require(boolean present, String whatIsMissing) {
        if (present) {
            return;
        }
        if (inCi()) {
            Assertions.fail(whatIsMissing + " (CI=true: missing test components fail the build)");
        }
        Assumptions.assumeTrue(false, whatIsMissing);
    }
}
