package io.jenkins.plugins.pgbackup.action;

import io.jenkins.plugins.pgbackup.steps.RestoreOutcome;
import java.util.ArrayList;

/** One restore a build made, shown on the build's page: what came from where, into what, with which tool. */
public final class RestoreAction extends BuildRecordAction {

    private final int index;
    private final String bucket;
    private final String key;
    private final String sourceDatabase;
    private final String database;
    private final String server;
    private final String serverVersion;
    private final String dumpPgDumpVersion;
    private final String tool;
    private final String toolPath;
    private final String toolVersion;
    private final String toolReason;
    private final String archiveVersion;
    private final long size;
    private final long durationMillis;
    private final String globalsKey;
    private final ArrayList<String> rolesCreated;
    private final ArrayList<String> rolesKept;

    public RestoreAction(int index, RestoreOutcome o) {
        this.index = index;
        this.bucket = o.bucket();
        this.key = o.key();
        this.sourceDatabase = o.sourceDatabase();
        this.database = o.database();
        this.server = o.server();
        this.serverVersion = o.serverVersion();
        this.dumpPgDumpVersion = o.dumpPgDumpVersion();
        this.tool = o.tool();
        this.toolPath = o.toolPath();
        this.toolVersion = o.toolVersion();
        this.toolReason = o.toolReason();
        this.archiveVersion = o.archiveVersion();
        this.size = o.size();
        this.durationMillis = o.durationMillis();
        this.globalsKey = o.globalsKey();
        this.rolesCreated = new ArrayList<>(o.rolesCreated());
        this.rolesKept = new ArrayList<>(o.rolesKept());
    }

    /** The globals applied before the backup ({@code restoreGlobals}), or {@code null}. */
    public String getGlobalsKey() {
        return globalsKey;
    }

    /** "role_a, role_b", or "none". */
    public String getRolesCreatedText() {
        return rolesCreated == null || rolesCreated.isEmpty() ? "none" : String.join(", ", rolesCreated);
    }

    /** "postgres", or "none". */
    public String getRolesKeptText() {
        return rolesKept == null || rolesKept.isEmpty() ? "none" : String.join(", ", rolesKept);
    }

    @Override
    public String getIconFileName() {
        return "symbol-download";
    }

    @Override
    public String getDisplayName() {
        return Messages.RestoreAction_DisplayName(database);
    }

    @Override
    public String getUrlName() {
        return "pgrestore-" + index;
    }

    public String getBucket() {
        return bucket;
    }

    public String getKey() {
        return key;
    }

    public String getSource() {
        return "s3://" + bucket + "/" + key;
    }

    public String getSourceDatabase() {
        return sourceDatabase;
    }

    public String getDatabase() {
        return database;
    }

    public String getServer() {
        return server;
    }

    public String getServerVersion() {
        return serverVersion;
    }

    public String getDumpPgDumpVersion() {
        return dumpPgDumpVersion;
    }

    public String getTool() {
        return tool;
    }

    public String getToolPath() {
        return toolPath;
    }

    public String getToolVersion() {
        return toolVersion;
    }

    public String getToolReason() {
        return toolReason;
    }

    public String getArchiveVersion() {
        return archiveVersion;
    }

    public long getSize() {
        return size;
    }

    public String getSizeText() {
        return Formats.bytes(size);
    }

    public long getDurationMillis() {
        return durationMillis;
    }

    public String getDurationText() {
        return Formats.duration(durationMillis);
    }
}
