package io.jenkins.plugins.pgbackup.restore;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.restore.archive.CompressionAlgorithm;
import io.jenkins.plugins.pgbackup.tools.ClientTool;

/** An installed pg_restore or psql as {@link ToolChoice} sees it: its version and its build's compression support. */
record ClientCandidate(ClientTool tool) implements ToolChoice.Client {
    @Override
    public PostgresVersion version() {
        return tool.version();
    }

    @Override
    public boolean supports(CompressionAlgorithm algorithm) {
        return switch (algorithm) {
            case NONE -> true;
            case GZIP -> tool.supportsGzip();
            case LZ4 -> tool.supportsLz4();
            case ZSTD -> tool.supportsZstd();
        };
    }

    @Override
    public String toString() {
        return tool.version() + " at " + tool.binDir();
    }
}
