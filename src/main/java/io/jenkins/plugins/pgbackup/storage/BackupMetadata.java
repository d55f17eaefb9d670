package io.jenkins.plugins.pgbackup.storage;

import java.io.ByteArrayOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user metadata the plugin writes on every backup object, and a typed view of what a HEAD request returns. Since
 * the manifest layout ({@code docs/manifest.md}) the object carries only what is known when its upload starts; size
 * and SHA-256 are in its {@link BackupManifest}, which also repeats these values. Objects of the first layout carry
 * {@code size} and {@code sha256} here, and stay readable.
 * S3 returns user metadata keys lower-cased and without {@code x-amz-meta-}, so the keys are lower-case already.
 * Values are plain ASCII; anything else (a database named {@code données}) is written as an RFC 2047 encoded word,
 * which is also how S3 itself returns non-ASCII metadata, and decoded when read. Never put a secret in here.
 */
public final class BackupMetadata implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The database's real name (the key only holds a safe form of it). */
    public static final String DATABASE = "database";
    /** When the backup started, UTC, {@code 20251117_150405}; orders backups (LastModified does not). */
    public static final String TIMESTAMP = "timestamp";
    /** Who or what made the backup: a Jenkins job and build, a user. */
    public static final String BACKUP_BY = "backup-by";
    /** The server's major version: {@code 17}, {@code 9.6}. */
    public static final String POSTGRES_VERSION = "postgres-version";
    /** {@code custom}, {@code directory}, {@code plain} or {@code tar}. */
    public static final String DUMP_FORMAT = "dump-format";
    /** The server's full version: {@code 17.6}. */
    public static final String SERVER_VERSION = "server-version";
    /** The version of the pg_dump that wrote it: {@code 17.6}. */
    public static final String PG_DUMP_VERSION = "pg-dump-version";
    /** {@code zstd:3}, {@code gzip:6}, {@code none}. */
    public static final String COMPRESSION = "compression";
    /** The object's size in bytes, decimal. */
    public static final String SIZE = "size";
    /** The SHA-256 of the object's content, lower-case hex. */
    public static final String SHA256 = "sha256";
    /** {@code age} when the object is encrypted (the age format, X25519 recipients); absent when it is not. */
    public static final String ENCRYPTION = "encryption";
    /** The value of {@link #ENCRYPTION} for age. */
    public static final String ENCRYPTION_AGE = "age";
    /**
     * The fingerprints of the recipients an encrypted object was written for, comma-separated: never a key, only
     * enough to tell which identity opens it (see {@code crypto.AgeKeys#fingerprint}).
     */
    public static final String RECIPIENTS = "recipients";
    /** Marks objects this plugin wrote; anything without it under the prefix is foreign and never touched. */
    public static final String CREATED_BY = "created-by";
    /** The value of {@link #CREATED_BY}. */
    public static final String CREATED_BY_VALUE = "jenkins-postgresql-backup";
    /** What an object other than a dump is: {@value #KIND_GLOBALS}; absent on dumps. */
    public static final String KIND = "kind";
    /** The {@link #KIND} of the cluster's globals stored with a dump ({@code pg_dumpall --globals-only}). */
    public static final String KIND_GLOBALS = "globals";

    /** The {@link #TIMESTAMP} format, also used in object keys. */
    public static final DateTimeFormatter TIMESTAMP_FORMAT =
            DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?UTF-8\\?([BbQq])\\?([^?]*)\\?=");

    private final String database;
    private final Instant timestamp;
    private final String backupBy;
    private final String postgresVersion;
    private final String dumpFormat;
    private final String serverVersion;
    private final String pgDumpVersion;
    private final String compression;
    private final long size;
    private final String sha256;
    private final String createdBy;
    private final String encryption;
    private final String recipients;
    private final String kind;

    private BackupMetadata(Builder b) {
        this.database = b.database;
        this.timestamp = b.timestamp == null ? null : b.timestamp.truncatedTo(ChronoUnit.SECONDS);
        this.backupBy = b.backupBy;
        this.postgresVersion = b.postgresVersion;
        this.dumpFormat = b.dumpFormat;
        this.serverVersion = b.serverVersion;
        this.pgDumpVersion = b.pgDumpVersion;
        this.compression = b.compression;
        this.size = b.size;
        this.sha256 = b.sha256;
        this.createdBy = b.createdBy;
        this.encryption = b.encryption;
        this.recipients = b.recipients;
        this.kind = b.kind;
    }

    /** Metadata for a new backup, marked as written by the plugin; the uploader adds size and sha256. */
    public static Builder builder(String database, Instant timestamp) {
        Builder b = new Builder();
        b.database = requireText(database, DATABASE);
        b.timestamp = Objects.requireNonNull(timestamp, TIMESTAMP);
        b.createdBy = CREATED_BY_VALUE;
        return b;
    }

    /**
     * Reads the user metadata of a HEAD or GET response; keys in any case, missing or malformed values become
     * {@code null} (or -1 for the size) rather than errors, so foreign objects can be recognised and skipped.
     */
    public static BackupMetadata fromUserMetadata(Map<String, String> userMetadata) {
        return fromMap(userMetadata, true);
    }

    /**
     * Reads the values as {@link #toPlainMap()} wrote them (a manifest's {@code metadata} object): the same keys, the
     * values as they are, never decoded.
     */
    public static BackupMetadata fromPlainMap(Map<String, String> values) {
        return fromMap(values, false);
    }

    private static BackupMetadata fromMap(Map<String, String> values, boolean decode) {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), decode ? decode(v) : v));
        Builder b = new Builder();
        b.database = m.get(DATABASE);
        b.timestamp = parseTimestamp(m.get(TIMESTAMP));
        b.backupBy = m.get(BACKUP_BY);
        b.postgresVersion = m.get(POSTGRES_VERSION);
        b.dumpFormat = m.get(DUMP_FORMAT);
        b.serverVersion = m.get(SERVER_VERSION);
        b.pgDumpVersion = m.get(PG_DUMP_VERSION);
        b.compression = m.get(COMPRESSION);
        b.size = parseSize(m.get(SIZE));
        String sha = m.get(SHA256);
        b.sha256 = sha != null && SHA256_HEX.matcher(sha).matches() ? sha : null;
        b.createdBy = m.get(CREATED_BY);
        b.encryption = m.get(ENCRYPTION);
        b.recipients = m.get(RECIPIENTS);
        b.kind = m.get(KIND);
        return new BackupMetadata(b);
    }

    /** The metadata to send, keys lower-case, values ASCII; unset values are left out. */
    public Map<String, String> toUserMetadata() {
        return toMap(true);
    }

    /** The same keys as {@link #toUserMetadata()}, the values as they are (for JSON, which carries any text). */
    public Map<String, String> toPlainMap() {
        return toMap(false);
    }

    private Map<String, String> toMap(boolean encode) {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, CREATED_BY, createdBy, encode);
        put(m, DATABASE, database, encode);
        put(m, TIMESTAMP, timestamp == null ? null : TIMESTAMP_FORMAT.format(timestamp), encode);
        put(m, BACKUP_BY, backupBy, encode);
        put(m, POSTGRES_VERSION, postgresVersion, encode);
        put(m, DUMP_FORMAT, dumpFormat, encode);
        put(m, SERVER_VERSION, serverVersion, encode);
        put(m, PG_DUMP_VERSION, pgDumpVersion, encode);
        put(m, COMPRESSION, compression, encode);
        put(m, ENCRYPTION, encryption, encode);
        put(m, RECIPIENTS, recipients, encode);
        put(m, SIZE, size < 0 ? null : Long.toString(size), encode);
        put(m, SHA256, sha256, encode);
        put(m, KIND, kind, encode);
        return m;
    }

    /** The same metadata without size and SHA-256: what is known when an upload starts. */
    public BackupMetadata withoutContent() {
        Builder b = toBuilder();
        b.size = -1;
        b.sha256 = null;
        return new BackupMetadata(b);
    }

    /** The same metadata with the content's size and SHA-256, known once the upload has read everything. */
    public BackupMetadata withContent(long contentSize, String contentSha256) {
        Builder b = toBuilder();
        b.size = contentSize;
        b.sha256 = contentSha256;
        return new BackupMetadata(b);
    }

    /**
     * Whether this describes a complete backup of the plugin: the marker, the database, the timestamp, the size and
     * the SHA-256 are all present. Objects of the first layout carry all of them in their own metadata; objects of
     * the manifest layout carry only what is known at the start, and their {@link BackupManifest} adds size and
     * SHA-256 (see {@link BackupObject#getMetadata()}).
     */
    public boolean isCompleteBackup() {
        return CREATED_BY_VALUE.equals(createdBy) && database != null && timestamp != null && size >= 0
                && sha256 != null;
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.database = database;
        b.timestamp = timestamp;
        b.backupBy = backupBy;
        b.postgresVersion = postgresVersion;
        b.dumpFormat = dumpFormat;
        b.serverVersion = serverVersion;
        b.pgDumpVersion = pgDumpVersion;
        b.compression = compression;
        b.size = size;
        b.sha256 = sha256;
        b.encryption = encryption;
        b.recipients = recipients;
        b.createdBy = createdBy;
        b.kind = kind;
        return b;
    }

    private static void put(Map<String, String> m, String key, String value, boolean encode) {
        if (value != null && !value.isEmpty()) {
            m.put(key, encode ? encode(value) : value);
        }
    }

    /**
     * Printable ASCII stays as it is; anything else becomes one RFC 2047 encoded word, {@code =?UTF-8?B?...?=}, so a
     * header never carries a byte S3 or R2 would mangle. Values that happen to look like an encoded word are encoded
     * too, which keeps decoding unambiguous.
     */
    static String encode(String value) {
        boolean plain = !value.startsWith("=?") && !value.isBlank() && value.strip().equals(value);
        for (int i = 0; plain && i < value.length(); i++) {
            char c = value.charAt(i);
            plain = c >= 0x20 && c < 0x7f;
        }
        if (plain) {
            return value;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** Undoes {@link #encode}, and S3's own encoding of non-ASCII values (B or Q encoded words). */
    static String decode(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = ENCODED_WORD.matcher(value.trim());
        if (!m.matches()) {
            return value;
        }
        try {
            byte[] bytes = m.group(1).equalsIgnoreCase("B")
                    ? Base64.getDecoder().decode(m.group(2))
                    : decodeQ(m.group(2));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static byte[] decodeQ(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length()) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static Instant parseTimestamp(String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text.trim(), TIMESTAMP_FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static long parseSize(String text) {
        if (text == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(text.trim());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value;
    }

    /** The database's real name; {@code null} on a foreign object. */
    public String getDatabase() {
        return database;
    }

    /** When the backup was made, to the second; {@code null} if missing or malformed. */
    public Instant getTimestamp() {
        return timestamp;
    }

    /** {@code 20251117_150405}, or {@code null}. */
    public String getTimestampText() {
        return timestamp == null ? null : TIMESTAMP_FORMAT.format(timestamp);
    }

    public String getBackupBy() {
        return backupBy;
    }

    /** The server's major version as written ("17", "9.6"). */
    public String getPostgresVersion() {
        return postgresVersion;
    }

    public String getDumpFormat() {
        return dumpFormat;
    }

    public String getServerVersion() {
        return serverVersion;
    }

    public String getPgDumpVersion() {
        return pgDumpVersion;
    }

    public String getCompression() {
        return compression;
    }

    /** The content size recorded at upload; -1 if missing. */
    public long getSize() {
        return size;
    }

    /** Lower-case hex; {@code null} if missing. */
    public String getSha256() {
        return sha256;
    }

    /** {@link #ENCRYPTION_AGE} when the object is encrypted; {@code null} when it is not. */
    public String getEncryption() {
        return encryption;
    }

    /** Whether the stored bytes are an age file (restores need an identity). */
    public boolean isEncrypted() {
        return encryption != null;
    }

    /** The recipients' fingerprints, comma-separated, or {@code null}. */
    public String getRecipients() {
        return recipients;
    }

    /** {@code null} on a dump, {@link #KIND_GLOBALS} on the globals stored with one. */
    public String getKind() {
        return kind;
    }

    /** Whether this is the metadata of the cluster's globals stored with a dump, not of a dump. */
    public boolean isGlobals() {
        return KIND_GLOBALS.equals(kind);
    }

    /** {@link #CREATED_BY_VALUE} on the plugin's objects. */
    public String getCreatedBy() {
        return createdBy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupMetadata b && toUserMetadata().equals(b.toUserMetadata());
    }

    @Override
    public int hashCode() {
        return toUserMetadata().hashCode();
    }

    @Override
    public String toString() {
        return toUserMetadata().toString();
    }

    /** Sets the descriptive values of a new backup. */
    public static final class Builder {
        private String database;
        private Instant timestamp;
        private String backupBy;
        private String postgresVersion;
        private String dumpFormat;
        private String serverVersion;
        private String pgDumpVersion;
        private String compression;
        private long size = -1;
        private String sha256;
        private String createdBy;
        private String encryption;
        private String recipients;
        private String kind;

        private Builder() {}

        /**
         * Marks the object as encrypted with age for recipients with these fingerprints.
         *
         * @param fingerprints never keys: fingerprints only
         */
        public Builder encryptedWithAge(List<String> fingerprints) {
            this.encryption = ENCRYPTION_AGE;
            this.recipients = String.join(",", fingerprints);
            return this;
        }

        /** The same encryption and recipients as {@code other} (none when it is not encrypted). */
        public Builder encryptionOf(BackupMetadata other) {
            this.encryption = other.encryption;
            this.recipients = other.recipients;
            return this;
        }

        public Builder backupBy(String value) {
            this.backupBy = value;
            return this;
        }

        /** The major: "17", "9.6". */
        public Builder postgresVersion(String value) {
            this.postgresVersion = value;
            return this;
        }

        public Builder dumpFormat(String value) {
            this.dumpFormat = value;
            return this;
        }

        public Builder serverVersion(String value) {
            this.serverVersion = value;
            return this;
        }

        public Builder pgDumpVersion(String value) {
            this.pgDumpVersion = value;
            return this;
        }

        public Builder compression(String value) {
            this.compression = value;
            return this;
        }

        /** {@link #KIND_GLOBALS} for the globals stored with a dump; dumps have none. */
        public Builder kind(String value) {
            this.kind = value;
            return this;
        }

        public BackupMetadata build() {
            return new BackupMetadata(this);
        }
    }
}
