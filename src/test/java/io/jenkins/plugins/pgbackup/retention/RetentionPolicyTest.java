package io.jenkins.plugins.pgbackup.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    @Test
    void theGraceForLeftoversIs24HoursUnlessSet() {
        assertEquals(Duration.ofHours(24), RetentionPolicy.none().getUnfinishedGrace());
        assertEquals(Duration.ofHours(6), RetentionPolicy.builder().unfinishedGraceHours(6).build()
                .getUnfinishedGrace());
    }

    @Test
    void aGraceBelowOneHourIsRefusedBecauseAnUploadInProgressCouldLookOldEnough() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetentionPolicy.builder().unfinishedGraceHours(0).build());
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        assertEquals(Duration.ofHours(1), RetentionPolicy.builder().unfinishedGraceHours(1).build()
                .getUnfinishedGrace());
    }

    @Test
    void theGraceLayersLikeTheRulesAndIsNoRuleItself() {
        RetentionPolicy global = RetentionPolicy.builder().keepLast(7).unfinishedGraceHours(48).build();
        RetentionPolicy target = RetentionPolicy.builder().unfinishedGraceHours(12).build();

        assertEquals(Duration.ofHours(12), global.overriddenBy(target).getUnfinishedGrace());
        assertEquals(Duration.ofHours(48), global.overriddenBy(RetentionPolicy.builder().keepLast(3).build())
                .getUnfinishedGrace());
        assertFalse(target.hasRules(), "a grace alone keeps every backup; it only cleans up leftovers");
        assertNotEquals(RetentionPolicy.none(), target);
        assertEquals(target, RetentionPolicy.builder().unfinishedGraceHours(12).build());
        assertTrue(global.describe().endsWith("; leftovers after 48 h"), global.describe());
    }
}
