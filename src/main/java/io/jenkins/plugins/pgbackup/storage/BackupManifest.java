package io.jenkins.plugins.pgbackup.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The small JSON object written next to a backup once its upload has completed, at
 * {@link BackupKeys#manifestKey(String) the dump's key + ".manifest.json"}: what is known only at the end (size,
 * SHA-256, the object's ETag, part count, duration) and, for self-description, the metadata known at the start. A
 * backup of the manifest layout is complete when its manifest exists and {@link #disagreement agrees} with the object
 * (key, size, ETag). The format is documented in {@code docs/manifest.md}; readers ignore fields they do not know and
 * refuse a {@code manifest-version} newer than {@link #VERSION}.
 */
public final class BackupManifest implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The format version this code writes and the newest it reads. */
    public static final int VERSION = 1;
    /** The largest manifest read; a real one is about 1 KB. */
    public static final int MAX_BYTES = 64 * 1024;
    static final String CONTENT_TYPE = "application/json";

    static final String F_VERSION = "manifest-version";
    static final String F_KEY = "key";
    static final String F_SIZE = "size";
    static final String F_SHA256 = "sha256";
    static final String F_ETAG = "etag";
    static final String F_PARTS = "parts";
    static final String F_PART_SIZE = "part-size";
    static final String F_STARTED = "upload-started";
    static final String F_FINISHED = "upload-finished";
    static final String F_DURATION = "duration-millis";
    static final String F_PLUGIN_VERSION = "plugin-version";
    static final String F_METADATA = "metadata";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String key;
    private final long size;
    private final String sha256;
    private final String eTag;
    private final int parts;
    private final long partSize;
    private final Instant uploadStarted;
    private final Instant uploadFinished;
    private final String pluginVersion;
    private final BackupMetadata metadata;

    private BackupManifest(Builder b) {
        this.key = requireText(b.key, F_KEY);
        if (b.size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        this.size = b.size;
        if (b.sha256 == null || !SHA256_HEX.matcher(b.sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, not " + b.sha256);
        }
        this.sha256 = b.sha256;
        this.eTag = requireText(normalizeETag(b.eTag), F_ETAG);
        this.parts = b.parts;
        this.partSize = b.partSize;
        this.uploadStarted = b.uploadStarted;
        this.uploadFinished = b.uploadFinished;
        this.pluginVersion = b.pluginVersion;
        this.metadata = Objects.requireNonNull(b.metadata, F_METADATA).withoutContent();
        if (!BackupMetadata.CREATED_BY_VALUE.equals(metadata.getCreatedBy()) || metadata.getDatabase() == null
                || metadata.getTimestamp() == null) {
            throw new IllegalArgumentException("The manifest's metadata must name the plugin, the database and the "
                    + "timestamp: " + metadata);
        }
    }

    /**
     * A manifest for the object at {@code key}.
     *
     * @param metadata what the object was created with (size and SHA-256, if set, are dropped: they are fields here)
     * @param eTag the object's ETag as the server reports it; quotes are removed
     */
    public static Builder builder(String key, BackupMetadata metadata, long size, String sha256, String eTag) {
        Builder b = new Builder();
        b.key = key;
        b.metadata = metadata;
        b.size = size;
        b.sha256 = sha256;
        b.eTag = eTag;
        return b;
    }

    /** An ETag without the quotes S3 puts around it, and without a weak marker; {@code null} stays {@code null}. */
    public static String normalizeETag(String eTag) {
        if (eTag == null) {
            return null;
        }
        String e = eTag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    /**
     * Why this manifest does not describe the object at {@code objectKey} with that size and ETag, or {@code null}
     * when it does.
     */
    public String disagreement(String objectKey, long contentLength, String objectETag) {
        if (!key.equals(objectKey)) {
            return "the manifest is for " + key + ", not " + objectKey;
        }
        if (contentLength != size) {
            return "the object holds " + contentLength + " bytes, but its manifest records " + size;
        }
        String actual = normalizeETag(objectETag);
        if (!eTag.equals(actual)) {
            return "the object's ETag is " + actual + ", but its manifest records " + eTag
                    + " (the object was replaced after the backup)";
        }
        return null;
    }

    /** The JSON written to storage, UTF-8. */
    public byte[] toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put(F_VERSION, VERSION);
        n.put(F_KEY, key);
        n.put(F_SIZE, size);
        n.put(F_SHA256, sha256);
        n.put(F_ETAG, eTag);
        n.put(F_PARTS, parts);
        n.put(F_PART_SIZE, partSize);
        if (uploadStarted != null) {
            n.put(F_STARTED, uploadStarted.toString());
        }
        if (uploadFinished != null) {
            n.put(F_FINISHED, uploadFinished.toString());
        }
        if (getDurationMillis() >= 0) {
            n.put(F_DURATION, getDurationMillis());
        }
        if (pluginVersion != null) {
            n.put(F_PLUGIN_VERSION, pluginVersion);
        }
        ObjectNode m = n.putObject(F_METADATA);
        metadata.toPlainMap().forEach(m::put);
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree of strings and numbers always serialises", e);
        }
    }

    /**
     * Reads a manifest.
     *
     * @param location where it was read from, for the message
     * @throws UnusableManifestException "… is not a usable backup manifest: …" when it is not JSON, misses a required
     *     field, or has a newer {@code manifest-version}
     */
    public static BackupManifest parse(byte[] json, String location) throws UnusableManifestException {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw unusable(location, "it is not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw unusable(location, "it cannot be read (" + e.getMessage() + ")", e);
        }
        if (n == null || !n.isObject()) {
            throw unusable(location, "it is not a JSON object", null);
        }
        JsonNode version = n.get(F_VERSION);
        if (version == null || !version.canConvertToInt()) {
            throw unusable(location, "it has no " + F_VERSION, null);
        }
        if (version.intValue() > VERSION || version.intValue() < 1) {
            throw unusable(location, "it has " + F_VERSION + " " + version.asText() + ", and this version of the "
                    + "plugin reads up to " + VERSION + "; update the plugin", null);
        }
        try {
            Builder b = builder(text(n, F_KEY), BackupMetadata.fromPlainMap(strings(n.get(F_METADATA))),
                    number(n, F_SIZE, -1), text(n, F_SHA256), text(n, F_ETAG));
            b.parts = (int) number(n, F_PARTS, 0);
            b.partSize = number(n, F_PART_SIZE, 0);
            b.uploadStarted = instant(n, F_STARTED);
            b.uploadFinished = instant(n, F_FINISHED);
            b.pluginVersion = text(n, F_PLUGIN_VERSION);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw unusable(location, e.getMessage(), e);
        }
    }

    private static UnusableManifestException unusable(String location, String why, Throwable cause) {
        return new UnusableManifestException(location + " is not a usable backup manifest: " + why, cause);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static long number(JsonNode n, String field, long missing) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return missing;
        }
        if (!v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " is not a number: " + v);
        }
        return v.longValue();
    }

    private static Instant instant(JsonNode n, String field) {
        String t = text(n, field);
        try {
            return t == null ? null : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 instant: " + t, e);
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        if (object == null || !object.isObject()) {
            throw new IllegalArgumentException("it has no " + F_METADATA + " object");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                m.put(e.getKey(), e.getValue().asText());
            }
        }
        return m;
    }

    private static String requireText(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    /** The key of the dump this manifest describes. */
    public String getKey() {
        return key;
    }

    /** Bytes in the dump. */
    public long getSize() {
        return size;
    }

    /** SHA-256 of the dump's content, lower-case hex. */
    public String getSha256() {
        return sha256;
    }

    /** The dump object's ETag, without quotes. */
    public String getETag() {
        return eTag;
    }

    /** Parts of the multipart upload; 1 for a single PutObject. */
    public int getParts() {
        return parts;
    }

    /** Bytes per part (all but the last), 0 if unknown. */
    public long getPartSize() {
        return partSize;
    }

    /** When the upload started, or {@code null}. */
    public Instant getUploadStarted() {
        return uploadStarted;
    }

    /** When the object was complete and verified, just before this manifest was written; or {@code null}. */
    public Instant getUploadFinished() {
        return uploadFinished;
    }

    /** From the upload's start to its end, or -1 if unknown. */
    public long getDurationMillis() {
        return uploadStarted == null || uploadFinished == null ? -1
                : uploadFinished.toEpochMilli() - uploadStarted.toEpochMilli();
    }

    /** The plugin version that wrote it, or {@code null} if it was not known. */
    public String getPluginVersion() {
        return pluginVersion;
    }

    /** The metadata the object was created with (no size, no SHA-256). */
    public BackupMetadata getMetadata() {
        return metadata;
    }

    /** The metadata with this manifest's size and SHA-256: the complete description of the backup. */
    public BackupMetadata completeMetadata() {
        return metadata.withContent(size, sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupManifest m && new String(m.toJson(), StandardCharsets.UTF_8)
                .equals(new String(toJson(), StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, size, sha256, eTag);
    }

    @Override
    public String toString() {
        return "manifest of " + key + " (" + size + " bytes, sha256 " + sha256 + ", ETag " + eTag + ")";
    }

    /** The optional fields. */
    public static final class Builder {
        private String key;
        private BackupMetadata metadata;
        private long size;
        private String sha256;
        private String eTag;
        private int parts = 1;
        private long partSize;
        private Instant uploadStarted;
        private Instant uploadFinished;
        private String pluginVersion = pluginVersionOrNull();

        private Builder() {}

        public Builder parts(int count, long bytesPerPart) {
            this.parts = count;
            this.partSize = bytesPerPart;
            return this;
        }

        public Builder upload(Instant started, Instant finished) {
            this.uploadStarted = started;
            this.uploadFinished = finished;
            return this;
        }

        /** @throws IllegalArgumentException if a required value is missing or malformed */
        public BackupManifest build() {
            return new BackupManifest(this);
        }
    }

    /** The plugin's version from its jar's manifest; unknown (null) when run from classes, as in tests. */
    private static String pluginVersionOrNull() {
        Package p = BackupManifest.class.getPackage();
        return p == null ? null : p.getImplementationVersion();
    }
}
