package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.detection.VersionCache;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestoreRequestTest {
    private static final ConnectionSpec TARGET = new ConnectionSpec("db.example", 5432, "app", "restorer", "s3cr3t!");
    private static final StorageSettings STORAGE = StorageSettings.builder(StorageSettings.Provider.S3_COMPATIBLE)
            .endpoint("https://s3.example").bucket("backups").prefix("prod").credentials("AKID", "SECRETKEY").build();

    @Test
    void theDefaultsAreTheSafeOnes() {
        RestoreRequest r = RestoreRequest.builder(TARGET, STORAGE).key("prod/app/app_20251117_150405.dump").build();

        assertFalse(r.isClean());
        assertFalse(r.isCreateDatabase());
        assertFalse(r.isSingleTransaction());
        assertFalse(r.isNoOwner());
        assertFalse(r.isNoAcl());
        assertEquals(1, r.getJobs());
        assertEquals(Duration.ofMinutes(30), r.getTimeout());
        assertNull(r.getPinnedVersion());
        assertNull(r.getLatestOf());
    }

    @Test
    void needsExactlyOneOfAKeyAndADatabase() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> RestoreRequest.builder(TARGET, STORAGE).key("  ").build());
        assertTrue(none.getMessage().startsWith("Say which backup to restore"), none.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> RestoreRequest.builder(TARGET, STORAGE).key("k.dump").latestOf("app").build());
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
    }

    @Test
    void refusesParallelJobsInASingleTransaction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RestoreRequest.builder(TARGET, STORAGE).latestOf("app").jobs(4).singleTransaction(true).build());
        assertTrue(e.getMessage().contains("exclude each other"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RestoreRequest.builder(TARGET, STORAGE).jobs(-1));
        assertThrows(IllegalArgumentException.class, () -> RestoreRequest.builder(TARGET, STORAGE).jobs(65));
        assertThrows(IllegalArgumentException.class,
                () -> RestoreRequest.builder(TARGET, STORAGE).timeout(Duration.ZERO));
    }

    @Test
    void keepsADatabaseNameAsWritten() {
        assertEquals(" app ", RestoreRequest.builder(TARGET, STORAGE).latestOf(" app ").build().getLatestOf());
        assertEquals("k.dump", RestoreRequest.builder(TARGET, STORAGE).key(" k.dump ").build().getKey());
    }

    @Test
    void crossesToAnAgentWithEverythingAndShowsNoSecret() throws Exception {
        RestoreRequest r = RestoreRequest.builder(TARGET, STORAGE).latestOf("app").clean(true).createDatabase(true)
                .jobs(3).noOwner(true).noAcl(true).timeout(Duration.ofMinutes(5))
                .pinnedVersion(PostgresVersion.ofMajor(16)).toolRoots(List.of("/opt/pg"))
                .cachedVersions(VersionCache.Snapshot.empty(), Duration.ofHours(1)).build();

        RestoreRequest copy = roundTrip(r);

        assertEquals(TARGET, copy.getTarget());
        assertEquals(STORAGE, copy.getStorage());
        assertEquals("app", copy.getLatestOf());
        assertTrue(copy.isClean() && copy.isCreateDatabase() && copy.isNoOwner() && copy.isNoAcl());
        assertEquals(3, copy.getJobs());
        assertEquals(Duration.ofMinutes(5), copy.getTimeout());
        assertEquals(PostgresVersion.ofMajor(16), copy.getPinnedVersion());
        assertEquals(List.of("/opt/pg"), copy.getToolRoots());
        assertEquals(Duration.ofHours(1), copy.getVersionCacheTtl());
        assertFalse(r.toString().contains("s3cr3t!"), r.toString());
        assertFalse(r.toString().contains("SECRETKEY"), r.toString());
        assertEquals("the newest backup of app under s3://backups/prod", r.describeSource());
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T object) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
