package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import org.junit.jupiter.api.Test;

/** The data-bound properties of the steps and build steps land in the shared options, normalised. */
class StepsTest {

    @Test
    void pipelineBackupStepDelegatesToItsOptions() {
        PgBackupStep s = new PgBackupStep();
        s.setConnection(" prod ");
        s.setStorage("r2");
        s.setKeepLast(7);
        s.setNotify(false);
        s.setCompression(" ");
        assertEquals("prod", s.getConnection());
        assertEquals("prod", s.options().getConnection());
        assertEquals("r2", s.options().getStorage());
        assertEquals(7, s.options().getKeepLast());
        assertFalse(s.isNotify());
        assertNull(s.getCompression());
    }

    @Test
    void freestyleStepsShareTheSameOptions() {
        PgRestoreBuilder b = new PgRestoreBuilder();
        b.setLatest("app");
        b.setClean(true);
        b.setBucket(" backups ");
        assertEquals("app", b.options().getLatest());
        assertTrue(b.options().isClean());
        assertEquals("backups", b.getBucket());
        PgBackupBuilder bb = new PgBackupBuilder();
        bb.setFormat("directory");
        bb.setJobs(4);
        assertEquals("directory", bb.options().getFormat());
        assertEquals(4, bb.getJobs());
    }

    @Test
    void outsideNodeTheMessageSaysToWrapTheStep() {
        AbortException e = org.junit.jupiter.api.Assertions.assertThrows(AbortException.class,
                () -> RunnerSupport.requireWorkspace(null, PgBackupStep.FUNCTION_NAME));
        assertEquals("pgBackup runs pg_dump and pg_restore on an agent and needs its workspace: wrap it in a node "
                + "block, for example node('linux') { pgBackup(...) }.", e.getMessage());
    }
}
