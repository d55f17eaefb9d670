package io.jenkins.plugins.pgbackup.steps;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.FilePath;
import io.jenkins.plugins.pgbackup.signing.RestoreGrant;
import io.jenkins.plugins.pgbackup.signing.RestoreSigner;
import io.jenkins.plugins.pgbackup.signing.RestoreTicket;
import java.io.Serial;
import java.io.Serializable;

/**
 * What the agent of a {@code pgRestore} or {@code pgVerify} gets when the controller signs: the backup the controller
 * resolved (no key, no URL) and a remote reference to the controller's {@link RestoreSigner}, through which it asks
 * for presigned GETs of that backup and its globals, and nothing else.
 */
final class SignedReads implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final RestoreTicket ticket;
    @SuppressFBWarnings(value = "SE_BAD_FIELD", justification = "A remoting proxy, which serializes; on the "
            + "controller's own node the callable is not serialized")
    private final RestoreGrant grant;

    private SignedReads(RestoreTicket ticket, RestoreGrant grant) {
        this.ticket = ticket;
        this.grant = grant;
    }

    /** @return {@code null} when there is no signer (the agent uses the keys) */
    static SignedReads of(FilePath workspace, RestoreSigner signer) {
        if (signer == null) {
            return null;
        }
        return new SignedReads(signer.ticket(),
                RunnerSupport.callableFromAgent(workspace, RestoreGrant.class, signer));
    }

    /** The signer itself as the grant: on the controller's own node, where the callable is not serialized. */
    static SignedReads direct(RestoreSigner signer) {
        return new SignedReads(signer.ticket(), signer);
    }

    RestoreTicket ticket() {
        return ticket;
    }

    RestoreGrant grant() {
        return grant;
    }
}
