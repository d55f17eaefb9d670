package io.jenkins.plugins.pgbackup.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Looks credentials up on the controller as the build is allowed to see them
 * ({@code CredentialsProvider.findCredentialById(id, type, run)}), and records their use on the build.
 */
public final class RunCredentials implements CredentialLookup {

    private final Run<?, ?> run;

    public RunCredentials(Run<?, ?> run) {
        this.run = run;
    }

    @Override
    public UsernamePassword usernamePassword(String id, String purpose) throws AbortException {
        StandardUsernamePasswordCredentials c =
                CredentialsProvider.findCredentialById(id, StandardUsernamePasswordCredentials.class, run);
        if (c == null) {
            throw new AbortException(Messages.Credentials_NotFound(id, purpose));
        }
        CredentialsProvider.track(run, c);
        return new UsernamePassword(c.getUsername(), c.getPassword().getPlainText());
    }

    @Override
    public String secretText(String id, String purpose) throws AbortException {
        StringCredentials c = CredentialsProvider.findCredentialById(id, StringCredentials.class, run);
        if (c == null) {
            throw new AbortException(Messages.Credentials_SecretNotFound(id, purpose));
        }
        CredentialsProvider.track(run, c);
        return c.getSecret().getPlainText();
    }
}
