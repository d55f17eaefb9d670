package io.jenkins.plugins.pgbackup.page;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.security.ACL;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.steps.CredentialLookup;
import io.jenkins.plugins.pgbackup.steps.MaskingEngineLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Credentials as the global configuration sees them (as the system, in the root context): the controller task and
 * the backups page read the storage targets and post to Discord with the configuration's own credentials, never a
 * user's. Secrets read are remembered, so error messages can be masked before anyone sees them.
 */
final class SystemCredentials implements CredentialLookup {
    private final List<String> secrets = new CopyOnWriteArrayList<>();

    @Override
    public UsernamePassword usernamePassword(String id, String purpose) throws AbortException {
        StandardUsernamePasswordCredentials c = CredentialsProvider.findCredentialByIdInItemGroup(id,
                StandardUsernamePasswordCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of());
        if (c == null) {
            throw new AbortException(Messages.Credentials_NotFound(id, purpose));
        }
        String password = c.getPassword().getPlainText();
        secrets.add(password);
        return new UsernamePassword(c.getUsername(), password);
    }

    @Override
    public String secretText(String id, String purpose) throws AbortException {
        StringCredentials c = CredentialsProvider.findCredentialByIdInItemGroup(id, StringCredentials.class,
                Jenkins.get(), ACL.SYSTEM2, List.of());
        if (c == null) {
            throw new AbortException(Messages.Credentials_NotFound(id, purpose));
        }
        String secret = c.getSecret().getPlainText();
        secrets.add(secret);
        return secret;
    }

    String mask(String message) {
        return new MaskingEngineLog(EngineLog.none(), secrets).mask(String.valueOf(message));
    }
}
