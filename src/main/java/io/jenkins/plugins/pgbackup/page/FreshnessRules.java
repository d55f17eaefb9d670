package io.jenkins.plugins.pgbackup.page;

import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.freshness.FreshnessRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The freshness rules the configured connections ask for: those with a maximum age and a storage target. */
public final class FreshnessRules {
    private FreshnessRules() {}

    public static List<FreshnessRule> of(List<DatabaseConnection> connections) {
        List<FreshnessRule> rules = new ArrayList<>();
        for (DatabaseConnection c : connections) {
            if (c.getName() != null && c.getDatabase() != null && c.getMaxBackupAgeHours() > 0
                    && c.getFreshnessStorage() != null) {
                rules.add(new FreshnessRule(c.getName(), c.getDatabase(), c.getFreshnessStorage(),
                        Duration.ofHours(c.getMaxBackupAgeHours())));
            }
        }
        return rules;
    }
}
