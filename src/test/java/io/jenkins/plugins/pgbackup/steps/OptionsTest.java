package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void blankTextMeansNotGivenAndTextIsTrimmed() {
        BackupOptions o = new BackupOptions();
        o.setConnection("  ");
        o.setBucket(" backups ");
        o.setFormat("");
        o.setDatabase("  ");
        assertNull(o.getConnection());
        assertEquals("backups", o.getBucket());
        assertNull(o.getFormat());
        assertNull(o.getDatabase());
        o.setDatabase(" spaced name ");
        assertEquals(" spaced name ", o.getDatabase(), "database names are kept exactly");
    }

    @Test
    void defaultsAreNotifyOnAndEverythingElseUnset() {
        RestoreOptions o = new RestoreOptions();
        assertTrue(o.isNotify());
        assertFalse(o.isPathStyle() || o.isClean() || o.isCreateDatabase() || o.isNoOwner() || o.isSingleTransaction());
        assertFalse(o.hasInlineDatabase());
        assertFalse(o.hasInlineStorage());
        o.setPathStyle(true);
        assertTrue(o.hasInlineStorage(), "path-style is an inline storage setting");
        o.setPort(5433);
        assertTrue(o.hasInlineDatabase());
    }

    @Test
    void expandingCopiesEveryOptionAndExpandsOnlyText() {
        BackupOptions o = new BackupOptions();
        o.setConnection("c");
        o.setHost("h");
        o.setPort(1);
        o.setDatabase("d");
        o.setCredentialsId("ci");
        o.setStorage("s");
        o.setBucket("b");
        o.setPrefix("p");
        o.setEndpoint("e");
        o.setRegion("r");
        o.setStorageCredentialsId("sc");
        o.setPathStyle(true);
        o.setJobs(2);
        o.setTimeoutMinutes(3);
        o.setNotify(false);
        o.setFormat("f");
        o.setCompression("co");
        o.setPostgresVersion("pv");
        o.setKeepLast(4);
        o.setKeepDays(5);
        o.setKeepDaily(6);
        o.setKeepWeekly(7);
        o.setKeepMonthly(8);
        o.setMinKept(9);
        o.setRetentionDryRun(true);
        BackupOptions x = o.expanded(s -> s.toUpperCase(Locale.ROOT));
        assertEquals(List4.of("C", "H", "D", "CI", "S", "B", "P", "E", "R", "SC", "F", "CO", "PV"),
                List4.of(x.getConnection(), x.getHost(), x.getDatabase(), x.getCredentialsId(), x.getStorage(),
                        x.getBucket(), x.getPrefix(), x.getEndpoint(), x.getRegion(), x.getStorageCredentialsId(),
                        x.getFormat(), x.getCompression(), x.getPostgresVersion()));
        assertEquals(List4.of(1, 2, 3, 4, 5, 6, 7, 8, 9), List4.of(x.getPort(), x.getJobs(), x.getTimeoutMinutes(),
                x.getKeepLast(), x.getKeepDays(), x.getKeepDaily(), x.getKeepWeekly(), x.getKeepMonthly(),
                x.getMinKept()));
        assertTrue(x.isPathStyle() && x.isRetentionDryRun());
        assertFalse(x.isNotify());
    }

    @Test
    void expandingARestoreExpandsTheKey() {
        RestoreOptions o = new RestoreOptions();
        o.setKey("prod/app/${WHICH}.dump");
        o.setLatest(null);
        o.setClean(true);
        o.setCreateDatabase(true);
        o.setNoOwner(true);
        o.setSingleTransaction(true);
        RestoreOptions x = o.expanded(s -> s.replace("${WHICH}", "app_20251117_150405"));
        assertEquals("prod/app/app_20251117_150405.dump", x.getKey());
        assertNull(x.getLatest());
        assertTrue(x.isClean() && x.isCreateDatabase() && x.isNoOwner() && x.isSingleTransaction());
    }

    /** Lists that allow nulls, for comparing many values at once. */
    private static final class List4 {
        static java.util.List<Object> of(Object... values) {
            return java.util.Arrays.asList(values);
        }
    }
}
