package io.jenkins.plugins.pgbackup.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thoughtworks.xstream.XStream;
import io.jenkins.plugins.pgbackup.steps.BackupOutcome;
import io.jenkins.plugins.pgbackup.steps.RestoreOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records in build.xml keep their form: what builds stored before the shared base class still loads. */
class BuildRecordActionTest {

    private static final String OLD_BACKUP = """
            <io.jenkins.plugins.pgbackup.action.BackupAction>
              <index>2</index>
              <database>app</database>
              <server>db:5432</server>
              <bucket>backups</bucket>
              <key>pg/app/app_20261204_084113.dump</key>
              <size>838860</size>
              <sha256>ab12</sha256>
              <serverVersion>15.8</serverVersion>
              <postgresMajor>15</postgresMajor>
              <pgDumpVersion>17.2</pgDumpVersion>
              <pgDumpPath>/usr/lib/postgresql/17/bin/pg_dump</pgDumpPath>
              <format>custom</format>
              <compression>gzip:6</compression>
              <durationMillis>10870</durationMillis>
              <pruned><string>pg/app/old.dump</string></pruned>
              <retentionDryRun>true</retentionDryRun>
            </io.jenkins.plugins.pgbackup.action.BackupAction>
            """;

    private static final String OLD_RESTORE = """
            <io.jenkins.plugins.pgbackup.action.RestoreAction>
              <index>1</index>
              <bucket>backups</bucket>
              <key>pg/app/app.dump</key>
              <sourceDatabase>app</sourceDatabase>
              <database>app_copy</database>
              <server>db:5432</server>
              <serverVersion>16.4</serverVersion>
              <dumpPgDumpVersion>17.2</dumpPgDumpVersion>
              <tool>pg_restore</tool>
              <toolPath>/usr/bin/pg_restore</toolPath>
              <toolVersion>17.2</toolVersion>
              <toolReason>newest</toolReason>
              <archiveVersion>1.16</archiveVersion>
              <size>1234</size>
              <durationMillis>99</durationMillis>
            </io.jenkins.plugins.pgbackup.action.RestoreAction>
            """;

    @Test
    void aBackupRecordStoredBeforeLoadsWithEveryField() {
        BackupAction a = (BackupAction) xstream().fromXML(OLD_BACKUP);
        assertEquals("pgbackup-2", a.getUrlName());
        assertEquals("s3://backups/pg/app/app_20261204_084113.dump", a.getLocation());
        assertEquals(838860, a.getSize());
        assertEquals("gzip:6", a.getCompression());
        assertEquals(List.of("pg/app/old.dump"), a.getPruned());
        assertTrue(a.isRetentionDryRun());
        assertNull(a.getRun());
        assertFalse(a.isEncrypted(), "recorded before encryption existed");
        assertEquals(List.of(), a.getRecipients());
    }

    @Test
    void anEncryptedBackupShowsItsRecipientsFingerprintsAndKeepsThemInTheRecord() {
        BackupAction a = new BackupAction(1, new BackupOutcome("app", "db:5432", "b", "k.dump.age", 1, "s", "15.8",
                "15", "17.2", "/p", "custom", "none", 5, List.of(), false, List.of(), null,
                List.of("0123456789abcdef", "fedcba9876543210")));
        assertTrue(a.isEncrypted());
        BackupAction loaded = (BackupAction) xstream().fromXML(xstream().toXML(a));
        assertTrue(loaded.isEncrypted());
        assertEquals(List.of("0123456789abcdef", "fedcba9876543210"), loaded.getRecipients());
    }

    @Test
    void aRestoreRecordStoredBeforeLoadsWithEveryField() {
        RestoreAction a = (RestoreAction) xstream().fromXML(OLD_RESTORE);
        assertEquals("pgrestore-1", a.getUrlName());
        assertEquals("app_copy", a.getDatabase());
        assertEquals("newest", a.getToolReason());
        assertEquals(1234, a.getSize());
        assertNull(a.getRun());
    }

    @Test
    void theBuildIsNeverWrittenWithTheRecord() {
        BackupAction backup = new BackupAction(1, new BackupOutcome("app", "db:5432", "b", "k", 1, "s", "15.8", "15",
                "17.2", "/p", "custom", "none", 5, List.of(), false, List.of(), null, List.of()));
        RestoreAction restore = new RestoreAction(1, new RestoreOutcome("b", "k", "app", "app", "db:5432", "16.4",
                "17.2", "pg_restore", "/p", "17.2", "why", "1.16", 1, 1, List.of(), null, List.of(), List.of()));
        for (Object o : List.of(backup, restore)) {
            String xml = xstream().toXML(o);
            assertFalse(xml.contains("<run"), xml);
            assertFalse(xml.contains("BuildRecordAction"), xml);
            assertTrue(xml.contains("<index>1</index>"), xml);
        }
    }

    private static XStream xstream() {
        XStream x = new XStream();
        x.allowTypes(new Class<?>[] {BackupAction.class, RestoreAction.class});
        return x;
    }
}
