package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.Text;
import java.util.function.UnaryOperator;

/**
 * The options backups and restores share: which database (a configured connection or inline), which storage (a
 * configured target or inline), time limit, parallel jobs and notification. The Pipeline steps and the freestyle build
 * steps delegate their data-bound setters here, so both normalise the same way; {@code null} means "not given".
 */
public abstract class CommonOptions {
    private String connection;
    private String host;
    private Integer port;
    private String database;
    private String credentialsId;
    private String storage;
    private String bucket;
    private String prefix;
    private String endpoint;
    private String region;
    private String storageCredentialsId;
    private boolean pathStyle;
    private String storageAccess;
    private Integer jobs;
    private Integer timeoutMinutes;
    private boolean notify = true;

    public String getConnection() {
        return connection;
    }

    public void setConnection(String connection) {
        this.connection = Text.trimToNull(connection);
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = Text.trimToNull(host);
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    /** Kept as given (database names may hold any character); blank means not given. */
    public String getDatabase() {
        return database;
    }

    public void setDatabase(String database) {
        this.database = database == null || database.isBlank() ? null : database;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Text.trimToNull(credentialsId);
    }

    public String getStorage() {
        return storage;
    }

    public void setStorage(String storage) {
        this.storage = Text.trimToNull(storage);
    }

    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = Text.trimToNull(bucket);
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = Text.trimToNull(prefix);
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = Text.trimToNull(endpoint);
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = Text.trimToNull(region);
    }

    public String getStorageCredentialsId() {
        return storageCredentialsId;
    }

    public void setStorageCredentialsId(String storageCredentialsId) {
        this.storageCredentialsId = Text.trimToNull(storageCredentialsId);
    }

    public boolean isPathStyle() {
        return pathStyle;
    }

    public void setPathStyle(boolean pathStyle) {
        this.pathStyle = pathStyle;
    }

    /**
     * Inline storage: {@code controller} (the controller keeps the keys and signs) or {@code agent} (the agent gets the
     * keys); {@code null} is {@code agent}, what inline storage always did. A configured target's own setting cannot
     * be overridden from a job.
     */
    public String getStorageAccess() {
        return storageAccess;
    }

    public void setStorageAccess(String storageAccess) {
        this.storageAccess = Text.trimToNull(storageAccess);
    }

    public Integer getJobs() {
        return jobs;
    }

    public void setJobs(Integer jobs) {
        this.jobs = jobs;
    }

    public Integer getTimeoutMinutes() {
        return timeoutMinutes;
    }

    public void setTimeoutMinutes(Integer timeoutMinutes) {
        this.timeoutMinutes = timeoutMinutes;
    }

    /** {@code false}: no Discord notification from this step; {@code true} (the default): as configured. */
    public boolean isNotify() {
        return notify;
    }

    public void setNotify(boolean notify) {
        this.notify = notify;
    }

    /** Whether any inline database field is given. */
    boolean hasInlineDatabase() {
        return host != null || port != null || database != null || credentialsId != null;
    }

    /** Whether any inline storage field is given. */
    boolean hasInlineStorage() {
        return bucket != null || prefix != null || endpoint != null || region != null
                || storageCredentialsId != null || pathStyle || storageAccess != null;
    }

    /** Copies every option into {@code target}, text options through {@code expand} (for {@code $VARIABLES}). */
    void copyTo(CommonOptions target, UnaryOperator<String> expand) {
        target.setConnection(apply(expand, connection));
        target.setHost(apply(expand, host));
        target.setPort(port);
        target.setDatabase(apply(expand, database));
        target.setCredentialsId(apply(expand, credentialsId));
        target.setStorage(apply(expand, storage));
        target.setBucket(apply(expand, bucket));
        target.setPrefix(apply(expand, prefix));
        target.setEndpoint(apply(expand, endpoint));
        target.setRegion(apply(expand, region));
        target.setStorageCredentialsId(apply(expand, storageCredentialsId));
        target.setPathStyle(pathStyle);
        target.setStorageAccess(apply(expand, storageAccess));
        target.setJobs(jobs);
        target.setTimeoutMinutes(timeoutMinutes);
        target.setNotify(notify);
    }

    static String apply(UnaryOperator<String> expand, String value) {
        return value == null ? null : expand.apply(value);
    }
}
