package io.jenkins.plugins.pgbackup.catalog;

import io.jenkins.plugins.pgbackup.storage.BackupCatalog;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.CatalogScan;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The only place the freshness alarm and the backups page read storage: one paginated listing of the whole prefix
 * ({@link BackupCatalog#scan}), then, per database folder, the newest listed backup read on its own (a HEAD and the
 * manifest's GET). A folder of 10,000 objects therefore costs ten listing pages and two small requests, never a
 * request per object. If the newest listed object is not a complete backup (an upload still running or killed), the
 * next older one is tried, at most {@link #MAX_CANDIDATES} per folder.
 */
public final class NewestBackupReader {
    /** Objects read per folder before giving up on naming the newest complete backup. */
    public static final int MAX_CANDIDATES = 5;

    private final Clock clock;
    private final boolean lastVerify;

    /** @param lastVerify whether to read each newest backup's last {@code pgVerify} record too (one more GET) */
    public NewestBackupReader(Clock clock, boolean lastVerify) {
        this.clock = clock;
        this.lastVerify = lastVerify;
    }

    /**
     * Reads a target; never throws for storage failures, which become a {@linkplain TargetListing#failed failed}
     * listing. The caller keeps owning the client.
     */
    public TargetListing read(S3Client s3, StorageSettings settings) throws InterruptedException {
        String location = settings.location();
        try {
            BackupCatalog catalog = new BackupCatalog(s3, settings);
            LastVerifyReader verify = lastVerify ? new LastVerifyReader(s3, settings.getBucket()) : null;
            CatalogScan scan = catalog.scan(null);
            Map<String, List<CatalogScan.Entry>> byFolder = group(catalog.getPrefix(), scan);
            Map<String, DatabaseBackups> result = new TreeMap<>();
            for (Map.Entry<String, List<CatalogScan.Entry>> e : byFolder.entrySet()) {
                result.put(e.getKey(), newest(catalog, verify, e.getKey(), e.getValue()));
            }
            return TargetListing.of(location, clock.instant(), result);
        } catch (StorageException | RuntimeException e) {
            return TargetListing.failed(location, clock.instant(), String.valueOf(e.getMessage()));
        }
    }

    /** Entries by folder; within each, newest key first as the scan orders them. */
    private static Map<String, List<CatalogScan.Entry>> group(String prefix, CatalogScan scan) {
        String root = BackupKeys.folder(prefix);
        Map<String, List<CatalogScan.Entry>> byFolder = new TreeMap<>();
        for (CatalogScan.Entry e : scan.getDumps()) {
            String rest = e.getKey().substring(root.length());
            String folder = rest.substring(0, rest.indexOf('/'));
            byFolder.computeIfAbsent(folder, f -> new ArrayList<>()).add(e);
        }
        return byFolder;
    }

    private static DatabaseBackups newest(BackupCatalog catalog, LastVerifyReader verify, String folder,
            List<CatalogScan.Entry> entries) throws StorageException, InterruptedException {
        int tried = 0;
        for (CatalogScan.Entry e : entries) {
            if (tried++ == MAX_CANDIDATES) {
                break;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            BackupObject b = completeOrNull(catalog, e.getKey());
            if (b != null) {
                return new DatabaseBackups(folder, entries.size(), b, null,
                        verify == null ? null : verify.read(b.getKey()));
            }
        }
        return new DatabaseBackups(folder, entries.size(), null, "none of the newest " + Math.min(tried,
                MAX_CANDIDATES) + " objects in " + folder + "/ is a complete backup (uploads unfinished or foreign)");
    }

    /** The complete backup at a key; {@code null} if it is not one; storage failures are thrown. */
    private static BackupObject completeOrNull(BackupCatalog catalog, String key) throws StorageException {
        try {
            return catalog.head(key);
        } catch (StorageException e) {
            // head() says "No backup at" for objects that are not complete backups; anything else is storage failing
            if (e.getMessage() != null && e.getMessage().startsWith("No backup at")) {
                return null;
            }
            throw e;
        }
    }
}
