package io.jenkins.plugins.pgbackup.page;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.catalog.NewestBackupReader;
import io.jenkins.plugins.pgbackup.catalog.TargetListing;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.freshness.FreshnessChecker;
import io.jenkins.plugins.pgbackup.steps.CommonMapping;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import java.time.Clock;
import software.amazon.awssdk.services.s3.S3Client;

/** Reads configured storage targets from the controller, with the configuration's credentials. */
final class ControllerTargets implements FreshnessChecker.TargetReader {
    private final PgBackupGlobalConfiguration config;
    private final NewestBackupReader reader;
    private final Clock clock;

    ControllerTargets(PgBackupGlobalConfiguration config, boolean lastVerify, Clock clock) {
        this.config = config;
        this.reader = new NewestBackupReader(clock, lastVerify);
        this.clock = clock;
    }

    @Override
    public TargetListing read(String name) throws InterruptedException {
        StorageTarget t = config.findStorageTarget(name);
        if (t == null) {
            return null;
        }
        SystemCredentials credentials = new SystemCredentials();
        StorageSettings settings;
        try {
            settings = CommonMapping.resolve(t, Messages.BackupsPage_StoragePurpose(name), credentials);
        } catch (AbortException e) {
            return TargetListing.failed(null, clock.instant(), credentials.mask(e.getMessage()));
        }
        try (S3Client s3 = S3Clients.create(settings)) {
            TargetListing l = reader.read(s3, settings);
            return l.isFailed() ? TargetListing.failed(l.getLocation(), l.getReadAt(), credentials.mask(l.getError()))
                    : l;
        } catch (RuntimeException e) {
            return TargetListing.failed(settings.location(), clock.instant(), credentials.mask(e.toString()));
        }
    }
}
