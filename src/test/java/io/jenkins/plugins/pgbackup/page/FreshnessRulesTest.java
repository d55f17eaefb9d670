package io.jenkins.plugins.pgbackup.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.freshness.FreshnessRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreshnessRulesTest {
    private static DatabaseConnection connection(String name, int hours, String storage) {
        DatabaseConnection c = new DatabaseConnection(name, "db.example", "app_" + name, "pg");
        c.setMaxBackupAgeHours(hours);
        c.setFreshnessStorage(storage);
        return c;
    }

    @Test
    void onlyConnectionsWithAnAgeAndAStorageTargetAreWatched() {
        List<FreshnessRule> rules = FreshnessRules.of(List.of(connection("a", 24, "r2"), connection("b", 0, "r2"),
                connection("c", 6, " "), connection("d", 6, "s3")));
        assertEquals(List.of(new FreshnessRule("a", "app_a", "r2", Duration.ofHours(24)),
                new FreshnessRule("d", "app_d", "s3", Duration.ofHours(6))), rules);
    }
}
