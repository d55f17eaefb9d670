package io.jenkins.plugins.pgbackup.signing;

import java.io.IOException;

/**
 * What the agent of a restore or restore drill may ask the controller for when the controller signs: a fresh
 * presigned GetObject of the backup it was given, or of that backup's globals. Nothing else: no listing, no other key,
 * no write, no delete. In Jenkins the agent holds a remoting proxy of the controller's {@link RestoreSigner}; its
 * arguments and results are small and serializable.
 */
public interface RestoreGrant {

    /**
     * A presigned GET of {@code key}, valid for a short while.
     *
     * @throws IOException when {@code key} is neither the backup nor its globals, the restore is over, or signing
     *     failed
     */
    SignedGet presign(String key) throws IOException, InterruptedException;
}
