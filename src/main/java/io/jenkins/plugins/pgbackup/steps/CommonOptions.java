package io.jenkins.plugins.pgbackup.steps;

import io.jenkins.plugins.pgbackup.config.Text;

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
    private Boolean pathStyle;
    private Integer jobs;
    private Integer timeoutMinutes;
    private Boolean notify;

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

    public Boolean getPathStyle() {
        return pathStyle;
    }

    public void setPathStyle(Boolean pathStyle) {
        this.pathStyle = pathStyle;
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

    /** {@code null}: as the Discord settings say; {@code false}: never for this step; {@code true}: as configured. */
    public Boolean getNotify() {
        return notify;
    }

    public void setNotify(Boolean notify) {
        this.notify = notify;
    }

    /** Whether any inline database field is given. */
    boolean hasInlineDatabase() {
        return host != null || port != null || database != null || credentialsId != null;
    }

    /** Whether any inline storage field is given. */
    boolean hasInlineStorage() {
        return bucket != null || prefix != null || endpoint != null || region != null
                || storageCredentialsId != null || pathStyle != null;
    }
}
