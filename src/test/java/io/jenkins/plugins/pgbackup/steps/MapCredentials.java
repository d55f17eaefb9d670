package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.testing.PostgresServers;
import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Credentials by id, recording every lookup, for tests that run without Jenkins. */
final class MapCredentials implements CredentialLookup {
    final Map<String, UsernamePassword> usernamePasswords = new HashMap<>();
    final Map<String, String> secrets = new HashMap<>();
    final List<String> looked = new ArrayList<>();

    /** "pg" (the test servers' superuser) and "s3" (S3Proxy's keys). */
    static MapCredentials forTestServers() {
        return new MapCredentials().with("pg", "postgres", PostgresServers.PASSWORD)
                .with("s3", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    }

    MapCredentials with(String id, String username, String password) {
        usernamePasswords.put(id, new UsernamePassword(username, password));
        return this;
    }

    @Override
    public UsernamePassword usernamePassword(String id, String purpose) throws AbortException {
        looked.add(id);
        UsernamePassword up = usernamePasswords.get(id);
        if (up == null) {
            throw new AbortException(Messages.Credentials_NotFound(id, purpose));
        }
        return up;
    }

    @Override
    public String secretText(String id, String purpose) throws AbortException {
        looked.add(id);
        String s = secrets.get(id);
        if (s == null) {
            throw new AbortException(Messages.Credentials_SecretNotFound(id, purpose));
        }
        return s;
    }
}
