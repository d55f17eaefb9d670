package io.jenkins.plugins.pgbackup.config;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.security.ACL;
import hudson.util.FormValidation;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.steps.CommonMapping;
import io.jenkins.plugins.pgbackup.steps.CredentialLookup;
import io.jenkins.plugins.pgbackup.steps.EngineBridge;
import io.jenkins.plugins.pgbackup.steps.MaskingEngineLog;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.storage.StorageSettings;
import java.time.Duration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * The "Test connection" buttons, run on the controller by an administrator (the callers check
 * {@code Jenkins.ADMINISTER}). Credentials are looked up as the system in the root context, as for any
 * configuration made on the global page; their secrets never reach the answer.
 */
final class ConnectionTests {

    private static final Logger LOGGER = Logger.getLogger(ConnectionTests.class.getName());

    private ConnectionTests() {}

    static FormValidation database(DatabaseConnection c) {
        FieldCheck fields = ConfigValidation.worst(List.of(ConfigValidation.host(c.getHost()),
                ConfigValidation.port(c.getPort()), ConfigValidation.database(c.getDatabase()),
                ConfigValidation.credentialsRequired(c.getCredentialsId()), ConfigValidation.sslMode(c.getSslMode())));
        if (fields.isError()) {
            return FormValidation.error(fields.message());
        }
        SystemCredentials credentials = new SystemCredentials();
        try {
            ConnectionSpec spec = CommonMapping.connect(c, c.serverKey(), credentials);
            VersionCacheStore.Entry detected = EngineBridge.detectServerVersion(spec);
            ControllerVersionCache.get().store().record(detected);
            String ok = Messages.TestConnection_DatabaseOk(PostgresVersion.fromVersionNum(detected.versionNum()),
                    c.serverKey());
            if (c.isIncludeGlobals() && !EngineBridge.readsRolePasswords(spec)) {
                return FormValidation.warning(ok + " " + Messages.TestConnection_GlobalsWithoutPasswords(
                        spec.getUsername()));
            }
            return FormValidation.ok(ok);
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.FINE, "Test connection to " + c.serverKey() + " failed", e);
            return FormValidation.error(Messages.TestConnection_DatabaseFailed(credentials.mask(e.getMessage())));
        }
    }

    static FormValidation storage(StorageTarget t) {
        FieldCheck fields = ConfigValidation.worst(List.of(ConfigValidation.bucket(t.getBucket()),
                ConfigValidation.prefix(t.getPrefix()), ConfigValidation.endpoint(t.getEndpoint(), t.getProvider()),
                ConfigValidation.region(t.getRegion(), t.getProvider()),
                ConfigValidation.storageCredentials(t.getCredentialsId(), t.getProvider())));
        if (fields.isError()) {
            return FormValidation.error(fields.message());
        }
        SystemCredentials credentials = new SystemCredentials();
        try {
            StorageSettings storage = CommonMapping.resolve(t, t.getBucket(), credentials);
            Duration took = EngineBridge.probeStorage(storage);
            return FormValidation.ok(Messages.TestConnection_StorageOk(storage.location(), took.toMillis()));
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.FINE, "Test connection to bucket " + t.getBucket() + " failed", e);
            return FormValidation.error(Messages.TestConnection_StorageFailed(credentials.mask(e.getMessage())));
        }
    }

    /** Credentials as the global configuration sees them; remembers secrets to mask them in error messages. */
    private static final class SystemCredentials implements CredentialLookup {
        private final List<String> secrets = new ArrayList<>();

        @Override
        public UsernamePassword usernamePassword(String id, String purpose) throws AbortException {
            StandardUsernamePasswordCredentials c = CredentialsProvider.findCredentialByIdInItemGroup(id,
                    StandardUsernamePasswordCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of());
            if (c == null) {
                throw new AbortException(Messages.Validation_CredentialsNotFound(id));
            }
            String password = c.getPassword().getPlainText();
            secrets.add(password);
            return new UsernamePassword(c.getUsername(), password);
        }

        @Override
        public String secretText(String id, String purpose) throws AbortException {
            throw new AbortException(Messages.Validation_SecretTextNotFound(id));
        }

        String mask(String message) {
            return new MaskingEngineLog(EngineLog.none(), secrets).mask(String.valueOf(message));
        }
    }
}
