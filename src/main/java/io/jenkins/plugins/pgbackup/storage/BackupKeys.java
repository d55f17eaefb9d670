package io.jenkins.plugins.pgbackup.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object keys of backups: {@code <prefix>/<database>/<database>_<yyyyMMdd_HHmmss>.<ext>}, the timestamp in UTC, as in
 * {@code backups/production/production_20251117_150405.dump}. Only {@code [A-Za-z0-9._-]} appear in the database
 * part; the real name is in the {@link BackupMetadata#DATABASE} metadata. A backup's manifest sits next to it, at the
 * dump's key plus {@value #MANIFEST_SUFFIX} (see {@code docs/manifest.md}), so one listing finds both.
 */
public final class BackupKeys {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");

    /** Everything the plugin writes after the timestamp. */
    private static final Pattern KEY_TAIL =
            Pattern.compile("_(\\d{8}_\\d{6})\\.(dump|tar|dir\\.tar|sql|sql\\.gz|sql\\.zst|sql\\.lz4)(?:\\.age)?");

    private static final Pattern FILE_WITH_TAIL = Pattern.compile(".*" + KEY_TAIL.pattern());

    /** What follows a dump's key in its manifest's key: {@code prod_20251117_150405.dump.manifest.json}. */
    public static final String MANIFEST_SUFFIX = ".manifest.json";
    /** Appended to the extension of an encrypted backup: {@code db_20251117_150405.dump.age} is an age file. */
    public static final String AGE_SUFFIX = ".age";

    /**
     * What follows a dump's key in the key of its last restore drill's record ({@code pgVerify}):
     * {@code prod_20251117_150405.dump.verify.json}. A companion of the dump, never a backup nor a leftover.
     */
    public static final String VERIFY_RECORD_SUFFIX = ".verify.json";

    /** What replaces a dump's extension in the key of the cluster's globals stored with it. */
    public static final String GLOBALS_SUFFIX = ".globals.sql";

    private static final Pattern DUMP_EXTENSION =
            Pattern.compile("\\.(dump|tar|dir\\.tar|sql|sql\\.gz|sql\\.zst|sql\\.lz4)(?:\\.age)?$");

    private BackupKeys() {}

    /**
     * The database name as it appears in keys. A name made only of {@code [A-Za-z0-9._-]} (and not "." or "..") is
     * kept as it is; otherwise each other character becomes {@code _} and eight hex digits of the name's SHA-256
     * follow, so {@code "my db"} and {@code "my_db"} still get different folders and both stay readable:
     * {@code my_db-5d2c0a4e}.
     */
    public static String safeName(String database) {
        if (database == null || database.isEmpty()) {
            throw new IllegalArgumentException("A database name is required");
        }
        if (SAFE.matcher(database).matches() && !database.equals(".") && !database.equals("..")) {
            return database;
        }
        StringBuilder sb = new StringBuilder();
        database.codePoints().forEach(cp -> sb.append(cp < 128 && SAFE.matcher(Character.toString(cp)).matches()
                ? (char) cp : '_'));
        String readable = sb.toString();
        if (readable.equals(".") || readable.equals("..")) {
            readable = readable.replace('.', '_');
        }
        return readable + "-" + shortHash(database);
    }

    /** The folder of a database's backups, with its trailing slash: {@code backups/production/}. */
    public static String databasePrefix(String prefix, String database) {
        return folder(prefix) + safeName(database) + "/";
    }

    /** The folder of all backups under a prefix: {@code backups/}, or empty for the bucket root. */
    public static String folder(String prefix) {
        String p = StorageSettings.normalizePrefix(prefix);
        return p.isEmpty() ? "" : p + "/";
    }

    /**
     * The key of a new backup.
     *
     * @param extension from {@link #extension(String, String)}
     */
    public static String key(String prefix, String database, Instant timestamp, String extension) {
        if (extension == null || !KEY_TAIL.matcher("_00000000_000000." + extension).matches()) {
            throw new IllegalArgumentException("Not a backup extension: " + extension);
        }
        String safe = safeName(database);
        return folder(prefix) + safe + "/" + safe + "_" + BackupMetadata.TIMESTAMP_FORMAT.format(timestamp) + "."
                + extension;
    }

    /**
     * The extension for a pg_dump format and compression: {@code dump} (custom), {@code tar}, {@code dir.tar}
     * (directory format, uploaded as a tar), {@code sql} (plain), {@code sql.gz}, {@code sql.zst}, {@code sql.lz4}
     * (compressed plain). The compression only matters for plain dumps; the archive formats compress inside.
     *
     * @param format "custom", "directory", "plain" or "tar"
     * @param compression "zstd:3", "gzip:6", "lz4", "none" or {@code null}
     */
    public static String extension(String format, String compression) {
        String f = format == null ? "custom" : format.trim().toLowerCase(Locale.ROOT);
        return switch (f) {
            case "custom" -> "dump";
            case "tar" -> "tar";
            case "directory" -> "dir.tar";
            case "plain" -> "sql" + plainSuffix(compression);
            default -> throw new IllegalArgumentException("Not a pg_dump format: " + format);
        };
    }

    private static String plainSuffix(String compression) {
        String c = compression == null ? "none" : compression.trim().toLowerCase(Locale.ROOT);
        String algorithm = c.contains(":") ? c.substring(0, c.indexOf(':')) : c;
        return switch (algorithm) {
            case "", "none", "0" -> "";
            case "gzip" -> ".gz";
            case "zstd" -> ".zst";
            case "lz4" -> ".lz4";
            default -> {
                if (algorithm.chars().allMatch(Character::isDigit)) {
                    yield ".gz"; // a bare level is gzip, as pg_dump -Z 6
                }
                throw new IllegalArgumentException("Not a pg_dump compression: " + compression);
            }
        };
    }

    /**
     * Whether a key has the shape of a backup key under the prefix: {@code <folder>/<x>/<x>_<timestamp>.<ext>}. A
     * cheap filter before reading metadata; the metadata decides.
     */
    public static boolean isBackupKey(String prefix, String key) {
        String folder = folder(prefix);
        if (!key.startsWith(folder)) {
            return false;
        }
        String rest = key.substring(folder.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        String safe = rest.substring(0, slash);
        String file = rest.substring(slash + 1);
        return SAFE.matcher(safe).matches() && file.startsWith(safe)
                && KEY_TAIL.matcher(file.substring(safe.length())).matches();
    }

    /**
     * The key of the globals ({@code pg_dumpall --globals-only}) stored with the dump at {@code dumpKey}: the same
     * name with {@value #GLOBALS_SUFFIX} instead of the dump's extension, {@code prod_20251117_150405.globals.sql},
     * and {@value #AGE_SUFFIX} after it when the dump is encrypted (the globals are encrypted with it). It never has
     * the shape of a backup key, so the catalog and retention never count it as a backup of its own.
     */
    public static String globalsKey(String dumpKey) {
        return stemOf(dumpKey) + GLOBALS_SUFFIX + (dumpKey.endsWith(AGE_SUFFIX) ? AGE_SUFFIX : "");
    }

    /**
     * The name a dump and its globals share: the dump's key without its extension ({@code prod_20251117_150405}).
     */
    public static String stemOf(String dumpKey) {
        Matcher m = DUMP_EXTENSION.matcher(dumpKey);
        if (!m.find()) {
            throw new IllegalArgumentException("Not a backup key: " + dumpKey);
        }
        return dumpKey.substring(0, m.start());
    }

    /** The stem ({@link #stemOf}) of the dump whose globals are at {@code key}; {@code null} for other keys. */
    public static String stemOfGlobals(String key) {
        String k = key.endsWith(AGE_SUFFIX) ? key.substring(0, key.length() - AGE_SUFFIX.length()) : key;
        return k.endsWith(GLOBALS_SUFFIX) ? k.substring(0, k.length() - GLOBALS_SUFFIX.length()) : null;
    }

    /** Whether a key is the globals of a backup key under the prefix (by its shape only, like {@link #isBackupKey}). */
    public static boolean isGlobalsKey(String prefix, String key) {
        String stem = stemOfGlobals(key);
        return stem != null && isBackupKey(prefix, stem + ".sql");
    }

    /** The key of the manifest of the dump at {@code dumpKey}. */
    public static String manifestKey(String dumpKey) {
        return dumpKey + MANIFEST_SUFFIX;
    }

    /**
     * Whether a key is the manifest of a backup key under the prefix (by its shape only, like
     * {@link #isBackupKey}).
     */
    public static boolean isManifestKey(String prefix, String key) {
        return key.endsWith(MANIFEST_SUFFIX) && isBackupKey(prefix, dumpKeyOf(key));
    }

    /** The key of the {@code pgVerify} record of the dump at {@code dumpKey}. */
    public static String verifyRecordKey(String dumpKey) {
        return dumpKey + VERIFY_RECORD_SUFFIX;
    }

    /** Whether a key is the {@code pgVerify} record of a backup key under the prefix (by its shape only). */
    public static boolean isVerifyRecordKey(String prefix, String key) {
        return key.endsWith(VERIFY_RECORD_SUFFIX) && isBackupKey(prefix, dumpKeyOfRecord(key));
    }

    /** The dump key a {@code pgVerify} record's key belongs to. */
    public static String dumpKeyOfRecord(String recordKey) {
        if (!recordKey.endsWith(VERIFY_RECORD_SUFFIX)) {
            throw new IllegalArgumentException("Not a pgVerify record key: " + recordKey);
        }
        return recordKey.substring(0, recordKey.length() - VERIFY_RECORD_SUFFIX.length());
    }

    /** The dump key a manifest key belongs to. */
    public static String dumpKeyOf(String manifestKey) {
        if (!manifestKey.endsWith(MANIFEST_SUFFIX)) {
            throw new IllegalArgumentException("Not a manifest key: " + manifestKey);
        }
        return manifestKey.substring(0, manifestKey.length() - MANIFEST_SUFFIX.length());
    }

    /**
     * The timestamp a backup key names (UTC, to the second), or {@code null} if the key has no backup shape. Equal to
     * the {@code timestamp} metadata for every key the plugin writes; the metadata stays what orders backups, this is
     * for listings that read nothing but keys.
     */
    public static Instant timestampOf(String key) {
        int slash = key.lastIndexOf('/');
        String file = key.substring(slash + 1);
        Matcher m = FILE_WITH_TAIL.matcher(file);
        if (!m.matches()) {
            return null;
        }
        try {
            return LocalDateTime.parse(m.group(1), BackupMetadata.TIMESTAMP_FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String shortHash(String database) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(database.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
