package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The freestyle build steps' form (the Pipeline steps' form, included) keeps every value through a save. */
@WithJenkins
class BuildStepsConfigTest {

    @Test
    void backupBuildStepFormRoundTrip(JenkinsRule r) throws Exception {
        PgBackupBuilder before = new PgBackupBuilder();
        before.setHost("db.example.com");
        before.setPort(6432);
        before.setDatabase("app");
        before.setBucket("backups");
        before.setPrefix("nightly");
        before.setEndpoint("https://acc.r2.cloudflarestorage.com");
        before.setFormat("directory");
        before.setJobs(4);
        before.setCompression("zstd:3");
        before.setTimeoutMinutes(90);
        before.setKeepLast(7);
        before.setRetentionDryRun(true);
        before.setNotify(false);
        PgBackupBuilder after = r.configRoundtrip(before);
        r.assertEqualDataBoundBeans(before, after);
    }

    @Test
    void restoreBuildStepFormRoundTrip(JenkinsRule r) throws Exception {
        PgRestoreBuilder before = new PgRestoreBuilder();
        before.setLatest("app");
        before.setHost("localhost");
        before.setDatabase("app_copy");
        before.setBucket("backups");
        before.setPathStyle(true);
        before.setClean(true);
        before.setNoOwner(true);
        PgRestoreBuilder after = r.configRoundtrip(before);
        r.assertEqualDataBoundBeans(before, after);
        assertEquals("app", after.getLatest());
    }
}
