package io.jenkins.plugins.pgbackup.steps;

import hudson.AbortException;

/**
 * Resolves credentials ids for a build. In Jenkins it is {@link RunCredentials} (the build's authentication, usage
 * tracked); the mapping is tested with plain implementations.
 */
public interface CredentialLookup {

    /** A username and password, as for a database or an S3 access key id and secret key. */
    record UsernamePassword(String username, String password) {
        @Override
        public String toString() {
            return username + ":****";
        }
    }

    /**
     * @param purpose what they are for, for the error message ("the database connection 'prod'")
     * @throws AbortException when no such credentials are visible to the build, saying what to do
     */
    UsernamePassword usernamePassword(String id, String purpose) throws AbortException;

    /**
     * @throws AbortException when no such Secret text credentials are visible to the build
     */
    String secretText(String id, String purpose) throws AbortException;
}
