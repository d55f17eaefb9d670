package io.jenkins.plugins.pgbackup.testing;

import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
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
 * metadata) or as something else would (foreign objects), so listing and retention tests get thousands of objects in
 * seconds.
 */
public final class BackupSeeder {
    private BackupSeeder() {}

    /** A complete backup as the plugin writes it; the content is a few bytes naming the key. */
    public static String putBackup(S3Client s3, String bucket, String prefix, String database, Instant timestamp) {
        String key = BackupKeys.key(prefix, database, timestamp, "dump");
        putBackupAt(s3, bucket, key, database, timestamp);
        return key;
    }

    /** A complete backup at any key, so a test can make key and metadata disagree. */
    public static void putBackupAt(S3Client s3, String bucket, String key, String database, Instant timestamp) {
        byte[] content = ("backup " + key).getBytes(StandardCharsets.UTF_8);
        String sha;
        try {
            sha = TestStreams.sha256(new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BackupMetadata m = BackupMetadata.builder(database, timestamp).postgresVersion("17").dumpFormat("custom")
                .compression("zstd:3").build().withContent(content.length, sha);
        s3.putObject(b -> b.bucket(bucket).key(key).metadata(m.toUserMetadata()), RequestBody.fromBytes(content));
    }

    /** {@code count} backups of a database, {@code step} apart, the newest at {@code newest}; returns their keys. */
    public static List<String> putBackups(S3Client s3, String bucket, String prefix, String database, Instant newest,
            Duration step, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Instant t = newest.minus(step.multipliedBy(i));
                futures.add(pool.submit(() -> putBackup(s3, bucket, prefix, database, t)));
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
