package io.jenkins.plugins.pgbackup.steps;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.StorageAccess;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.testing.PgClients;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.util.List;

/**
 * What the {@code @WithJenkins} tests of the steps configure alike: the credentials "pg" (the test server's superuser)
 * and "s3" (S3Proxy's keys), connections to one test server, and a storage target "s3proxy" on S3Proxy whose access
 * mode each test names, so that both modes stay covered whatever the default for new targets.
 */
final class JenkinsFixtures {

    private JenkinsFixtures() {}

    /** The credentials "pg" and "s3" in the system store. */
    static void addCredentials() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "pg", "test server", "postgres", PostgresServers.PASSWORD));
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "s3", "S3Proxy", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
        SystemCredentialsProvider.getInstance().save();
    }

    /** A connection {@code name} to {@code database} on the test server, with the credential "pg". */
    static DatabaseConnection connection(String name, PostgresServers.Server pg, String database) {
        return TestSettings.connection(name, pg, database);
    }

    /** The target "s3proxy": {@code bucket} on S3Proxy with the credential "s3", path-style. */
    static StorageTarget target(S3ProxyServer s3, String bucket, String prefix, StorageAccess access) {
        StorageTarget target = TestSettings.s3proxyTarget("s3proxy", s3, bucket, prefix, access);
        target.setPathStyle(true);
        return target;
    }

    /** These connections and this target, with the clients under the test's client root (13, 15, 17, 18). */
    static void configure(List<DatabaseConnection> connections, StorageTarget target) {
        configure(connections, target, PgClients.requireRoot().toString());
    }

    /** As {@link #configure(List, StorageTarget)}, searching for clients under {@code toolRoots} only. */
    static void configure(List<DatabaseConnection> connections, StorageTarget target, String toolRoots) {
        PgBackupGlobalConfiguration c = PgBackupGlobalConfiguration.get();
        c.setConnections(connections);
        c.setStorageTargets(List.of(target));
        c.setToolSearchRoots(toolRoots);
    }
}
