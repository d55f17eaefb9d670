package io.jenkins.plugins.pgbackup.page;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.DiscordNotification;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import io.jenkins.plugins.pgbackup.freshness.FreshnessChecker;
import io.jenkins.plugins.pgbackup.notify.DiscordWebhookNotifier;
import io.jenkins.plugins.pgbackup.notify.Notification;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Posts alarm messages to the globally configured Discord webhook: an alarm counts as a failure, a recovery as a
 * success, so the global "notify on failure / on success" choices apply. With no webhook (or the kind not wanted)
 * there is nothing to deliver, which counts as delivered.
 */
final class DiscordAlarmSink implements FreshnessChecker.AlarmSink {
    private static final Logger LOGGER = Logger.getLogger(DiscordAlarmSink.class.getName());

    private final PgBackupGlobalConfiguration config;

    DiscordAlarmSink(PgBackupGlobalConfiguration config) {
        this.config = config;
    }

    @Override
    public boolean deliver(Notification n) {
        DiscordNotification discord = config.getDiscord();
        if (discord == null || discord.getWebhookCredentialsId() == null || !discord.wants(n.success())) {
            return true;
        }
        SystemCredentials credentials = new SystemCredentials();
        String webhook;
        try {
            webhook = credentials.secretText(discord.getWebhookCredentialsId(), Messages.Freshness_WebhookPurpose());
        } catch (AbortException e) {
            LOGGER.log(Level.WARNING, "Freshness alarm not sent to Discord: {0}", e.getMessage());
            return false;
        }
        return DiscordWebhookNotifier.builder(webhook).build().send(n, EngineLog.none()).delivered();
    }
}
