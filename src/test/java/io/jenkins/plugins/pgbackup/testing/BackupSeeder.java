package io.jenkins.plugins.pgbackup.testing;

import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.ManifestStore;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Puts many small objects straight through the S3 API, as the plugin's uploader would leave them (same keys, same
 * metadata, same manifests), as the plugin's first layout left them (size and sha256 in the metadata, no manifest), as
 * a crash leaves them (a dump without manifest), or as something else would (foreign objects), so listing and
 * retention tests get thousands of objects in seconds.
 */
public final class BackupSeeder {
    /** How the seeded backups are stored. */
    public enum Layout {
        /** Dump with the start metadata, and its manifest: what the plugin writes now. */
        MANIFEST,
        /** Dump with size and sha256 in its own metadata, no manifest: what the plugin wrote before manifests. */
        LEGACY
    }

    private BackupSeeder() {}

    /** A complete backup as the plugin writes it; the content is a few bytes naming the key. */
    public static String putBackup(S3Client s3, String bucket, String prefix, String database, Instant timestamp) {
        String key = BackupKeys.key(prefix, database, timestamp, "dump");
        putBackupAt(s3, bucket, key, database, timestamp);
        return key;
    }

    /** A complete backup of the first layout (no manifest), as the plugin wrote it before manifests. */
    public static String putLegacyBackup(S3Client s3, String bucket, String prefix, String database,
            Instant timestamp) {
        String key = BackupKeys.key(prefix, database, timestamp, "dump");
        putLegacyBackupAt(s3, bucket, key, database, timestamp);
        return key;
    }

    /** A complete backup at any key, so a test can make key and metadata disagree. */
    public static void putBackupAt(S3Client s3, String bucket, String key, String database, Instant timestamp) {
        byte[] content = content(key);
        BackupMetadata m = metadata(database, timestamp);
        String eTag = s3.putObject(b -> b.bucket(bucket).key(key).metadata(m.toUserMetadata()),
                RequestBody.fromBytes(content)).eTag();
        try {
            new ManifestStore(s3, bucket).write(BackupManifest.builder(key, m, content.length, sha256(content), eTag)
                    .build());
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A complete backup of the first layout at any key. */
    public static void putLegacyBackupAt(S3Client s3, String bucket, String key, String database,
            Instant timestamp) {
        byte[] content = content(key);
        BackupMetadata m = metadata(database, timestamp).withContent(content.length, sha256(content));
        s3.putObject(b -> b.bucket(bucket).key(key).metadata(m.toUserMetadata()), RequestBody.fromBytes(content));
    }

    /** What a backup killed between its upload and its manifest leaves: the dump with its start metadata only. */
    public static String putUnfinished(S3Client s3, String bucket, String prefix, String database,
            Instant timestamp) {
        String key = BackupKeys.key(prefix, database, timestamp, "dump");
        s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata(database, timestamp).toUserMetadata()),
                RequestBody.fromBytes(content(key)));
        return key;
    }

    private static byte[] content(String key) {
        return ("backup " + key).getBytes(StandardCharsets.UTF_8);
    }

    private static BackupMetadata metadata(String database, Instant timestamp) {
        return BackupMetadata.builder(database, timestamp).postgresVersion("17").dumpFormat("custom")
                .compression("zstd:3").build();
    }

    private static String sha256(byte[] content) {
        try {
            return TestStreams.sha256(new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} backups of a database, {@code step} apart, the newest at {@code newest}; returns their keys. */
    public static List<String> putBackups(S3Client s3, String bucket, String prefix, String database, Instant newest,
            Duration step, int count) throws Exception {
        return putBackups(s3, bucket, prefix, database, newest, step, count, Layout.MANIFEST);
    }

    /** As {@link #putBackups(S3Client, String, String, String, Instant, Duration, int)}, in the given layout. */
    public static List<String> putBackups(S3Client s3, String bucket, String prefix, String database, Instant newest,
            Duration step, int count, Layout layout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Instant t = newest.minus(step.multipliedBy(i));
                futures.add(pool.submit(() -> layout == Layout.MANIFEST ? putBackup(s3, bucket, prefix, database, t)
                        : putLegacyBackup(s3, bucket, prefix, database, t)));
            }
            List<String> keys = new ArrayList<>();
            for (Future<String> f : futures) {
                keys.add(f.get());
            }
            return keys;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Any object with any metadata: what other tools, or a half-finished upload, leave under the prefix. */
    public static void putForeign(S3Client s3, String bucket, String key, Map<String, String> metadata) {
        s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata),
                RequestBody.fromString("not a backup of this plugin"));
    }
}
