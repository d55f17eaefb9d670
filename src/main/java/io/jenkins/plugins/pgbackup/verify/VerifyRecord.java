package io.jenkins.plugins.pgbackup.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.pgbackup.storage.BackupKeys;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one restore drill of one backup, as stored next to it ({@code <dump key>.verify.json}) for the
 * Backups page, and as the build keeps it. Format: {@code docs/verify.md}. Readers ignore unknown fields and refuse
 * a newer {@code verify-version}.
 */
public final class VerifyRecord implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public static final String SUFFIX = BackupKeys.VERIFY_RECORD_SUFFIX; // one spelling: retention deletes them
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String key;
    private final String bucket;
    private final String database;
    private final String backupTimestamp;
    private final String server;
    private final String scratchDatabase;
    private final String build;
    private final Instant started;
    private final Instant finished;
    private final ArrayList<VerifyCheck> checks;

    public VerifyRecord(String key, String bucket, String database, String backupTimestamp, String server,
            String scratchDatabase, String build, Instant started, Instant finished, List<VerifyCheck> checks) {
        this.key = Objects.requireNonNull(key, "key");
        this.bucket = bucket;
        this.database = database;
        this.backupTimestamp = backupTimestamp;
        this.server = server;
        this.scratchDatabase = scratchDatabase;
        this.build = build;
        this.started = Objects.requireNonNull(started, "started");
        this.finished = Objects.requireNonNull(finished, "finished");
        this.checks = new ArrayList<>(checks);
    }

    /** Where the record of a backup lives: next to it. */
    public static String keyFor(String dumpKey) {
        return dumpKey + SUFFIX;
    }

    public static boolean isRecordKey(String key) {
        return key != null && key.endsWith(SUFFIX);
    }

    public String getKey() {
        return key;
    }

    public String getBucket() {
        return bucket;
    }

    /** The database the backup was taken of. */
    public String getDatabase() {
        return database;
    }

    public String getBackupTimestamp() {
        return backupTimestamp;
    }

    /** {@code host:port} of the server the drill restored on. */
    public String getServer() {
        return server;
    }

    public String getScratchDatabase() {
        return scratchDatabase;
    }

    /** The verifying build's URL relative to Jenkins, or {@code null}. */
    public String getBuild() {
        return build;
    }

    public Instant getStarted() {
        return started;
    }

    public Instant getFinished() {
        return finished;
    }

    public long getDurationMillis() {
        return finished.toEpochMilli() - started.toEpochMilli();
    }

    public List<VerifyCheck> getChecks() {
        return List.copyOf(checks);
    }

    /** Passed when no check failed (skipped checks do not fail a drill; a failed restore does). */
    public boolean isPassed() {
        return checks.stream().noneMatch(VerifyCheck::isFailed);
    }

    /** "passed" or "failed". */
    public String getOutcome() {
        return isPassed() ? "passed" : "failed";
    }

    /** "4 checks passed, 1 skipped" or "2 of 5 checks failed: tables, sql[1]". */
    public String getSummary() {
        List<String> failed = checks.stream().filter(VerifyCheck::isFailed).map(VerifyCheck::name).toList();
        long skipped = checks.stream().filter(c -> c.outcome() == VerifyCheck.Outcome.SKIPPED).count();
        if (!failed.isEmpty()) {
            return failed.size() + " of " + checks.size() + " checks failed: " + String.join(", ", failed);
        }
        long passed = checks.size() - skipped;
        return passed + (passed == 1 ? " check passed" : " checks passed") + (skipped > 0 ? ", " + skipped
                + " skipped" : "");
    }

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("verify-version", VERSION);
        o.put("key", key);
        o.put("bucket", bucket);
        o.put("database", database);
        o.put("backup-timestamp", backupTimestamp);
        o.put("outcome", getOutcome());
        o.put("summary", getSummary());
        o.put("started", started.toString());
        o.put("finished", finished.toString());
        o.put("duration-millis", getDurationMillis());
        o.put("server", server);
        o.put("scratch-database", scratchDatabase);
        o.put("build", build);
        ArrayNode list = o.putArray("checks");
        for (VerifyCheck c : checks) {
            list.addObject().put("name", c.name()).put("outcome", c.outcome().id()).put("detail", c.detail());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    /**
     * @param location where the bytes came from, for messages
     * @throws IOException when the bytes are not a record this version can read
     */
    public static VerifyRecord parse(byte[] json, String location) throws IOException {
        JsonNode o;
        try {
            o = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("The pgVerify record " + location + " is not JSON: " + e.getMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new IOException("The pgVerify record " + location + " is not a JSON object");
        }
        int version = o.path("verify-version").asInt(-1);
        if (version < 1 || version > VERSION) {
            throw new IOException("The pgVerify record " + location + " has verify-version " + version
                    + "; this plugin reads version " + VERSION);
        }
        List<VerifyCheck> checks = new ArrayList<>();
        for (JsonNode c : o.path("checks")) {
            try {
                checks.add(new VerifyCheck(c.path("name").asText(), VerifyCheck.Outcome.fromId(
                        c.path("outcome").asText()), c.path("detail").asText("")));
            } catch (IllegalArgumentException e) {
                throw new IOException("The pgVerify record " + location + " has a check with an unknown outcome", e);
            }
        }
        try {
            return new VerifyRecord(required(o, "key", location), text(o, "bucket"), text(o, "database"),
                    text(o, "backup-timestamp"), text(o, "server"), text(o, "scratch-database"), text(o, "build"),
                    Instant.parse(required(o, "started", location)), Instant.parse(required(o, "finished", location)),
                    checks);
        } catch (DateTimeParseException e) {
            throw new IOException("The pgVerify record " + location + " has an unreadable time: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String required(JsonNode o, String field, String location) throws IOException {
        String s = text(o, field);
        if (s == null) {
            throw new IOException("The pgVerify record " + location + " has no " + field);
        }
        return s;
    }

    @Override
    public String toString() {
        return "pgVerify of " + key + ": " + getOutcome() + " (" + getSummary() + ")";
    }
}
