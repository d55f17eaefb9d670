package io.jenkins.plugins.pgbackup.action;

import io.jenkins.plugins.pgbackup.steps.BackupOutcome;
import java.util.ArrayList;
import java.util.List;

/** One backup a build made, shown on the build's page; a build that backs up several databases has several. */
public final class BackupAction extends BuildRecordAction {

    private final int index;
    private final String database;
    private final String server;
    private final String bucket;
    private final String key;
    private final long size;
    private final String sha256;
    private final String serverVersion;
    private final String postgresMajor;
    private final String pgDumpVersion;
    private final String pgDumpPath;
    private final String format;
    private final String compression;
    private final long durationMillis;
    private final ArrayList<String> pruned;
    private final boolean retentionDryRun;
    private final String globalsKey;
    /** The age recipients' fingerprints; empty, or {@code null} in builds recorded before encryption existed. */
    private final ArrayList<String> recipients;

    /**
     * @param index 1 for the build's first backup, 2 for the second...: it makes the page's URL unique
     */
    public BackupAction(int index, BackupOutcome o) {
        this.index = index;
        this.database = o.database();
        this.server = o.server();
        this.bucket = o.bucket();
        this.key = o.key();
        this.size = o.size();
        this.sha256 = o.sha256();
        this.serverVersion = o.serverVersion();
        this.postgresMajor = o.postgresMajor();
        this.pgDumpVersion = o.pgDumpVersion();
        this.pgDumpPath = o.pgDumpPath();
        this.format = o.format();
        this.compression = o.compression();
        this.durationMillis = o.durationMillis();
        this.pruned = new ArrayList<>(o.pruned());
        this.retentionDryRun = o.retentionDryRun();
        this.globalsKey = o.globalsKey();
        this.recipients = new ArrayList<>(o.recipients());
    }

    @Override
    public String getIconFileName() {
        return "symbol-server";
    }

    @Override
    public String getDisplayName() {
        return Messages.BackupAction_DisplayName(database);
    }

    @Override
    public String getUrlName() {
        return "pgbackup-" + index;
    }

    public String getDatabase() {
        return database;
    }

    public String getServer() {
        return server;
    }

    public String getBucket() {
        return bucket;
    }

    public String getKey() {
        return key;
    }

    /** "s3://bucket/key". */
    public String getLocation() {
        return "s3://" + bucket + "/" + key;
    }

    public long getSize() {
        return size;
    }

    public String getSizeText() {
        return Formats.bytes(size);
    }

    public String getSha256() {
        return sha256;
    }

    public String getServerVersion() {
        return serverVersion;
    }

    public String getPostgresMajor() {
        return postgresMajor;
    }

    public String getPgDumpVersion() {
        return pgDumpVersion;
    }

    public String getPgDumpPath() {
        return pgDumpPath;
    }

    public String getFormat() {
        return format;
    }

    public String getCompression() {
        return compression;
    }

    public long getDurationMillis() {
        return durationMillis;
    }

    public String getDurationText() {
        return Formats.duration(durationMillis);
    }

    public List<String> getPruned() {
        return pruned == null ? List.of() : List.copyOf(pruned);
    }

    public boolean isRetentionDryRun() {
        return retentionDryRun;
    }

    /** The key of the cluster's globals stored with the backup, or {@code null} without includeGlobals. */
    public String getGlobalsKey() {
        return globalsKey;
    }

    /** Whether the stored backup is encrypted with age. */
    public boolean isEncrypted() {
        return !getRecipients().isEmpty();
    }

    /** The fingerprints of the age recipients the backup is encrypted for (never keys); empty when not encrypted. */
    public List<String> getRecipients() {
        return recipients == null ? List.of() : List.copyOf(recipients);
    }

    /** "s3://bucket/globals key", or {@code null}. */
    public String getGlobalsLocation() {
        return globalsKey == null ? null : "s3://" + bucket + "/" + globalsKey;
    }
}
