package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.config.FieldCheck.Kind;
import io.jenkins.plugins.pgbackup.db.ConnectionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescribablesTest {

    @Test
    void connectionNormalisesWhatTheFormSends() {
        DatabaseConnection c = new DatabaseConnection(" prod ", " db.example.com ", " my db ", " pg-prod ");
        c.setSslMode(" ");
        c.setPostgresVersion("LATEST");
        c.setExtraOptions("  ");
        assertEquals("prod", c.getName());
        assertEquals("db.example.com", c.getHost());
        assertEquals(" my db ", c.getDatabase(), "database names are kept exactly");
        assertEquals("pg-prod", c.getCredentialsId());
        assertNull(c.getSslMode());
        assertNull(c.getPostgresVersion(), "latest means detect");
        assertNull(c.getExtraOptions());
        assertEquals(5432, c.getPort());
    }

    @Test
    void connectionServerKeyIsTheVersionCacheKeyOfItsConnectionSpec() {
        DatabaseConnection c = new DatabaseConnection("prod", "db.example.com", "app", "pg");
        c.setPort(6543);
        ConnectionSpec spec = new ConnectionSpec("db.example.com", 6543, "app", "u", "p");
        assertEquals(spec.serverKey(), c.serverKey());
    }

    @Test
    void connectionValidationReportsTheFirstProblem() {
        DatabaseConnection ok = new DatabaseConnection("prod", "db", "app", "pg");
        assertEquals(Kind.OK, ok.validate().kind());
        DatabaseConnection noCredentials = new DatabaseConnection("prod", "db", "app", "");
        assertEquals(Messages.Validation_CredentialsRequired(), noCredentials.validate().message());
        DatabaseConnection reserved = new DatabaseConnection("prod", "db", "app", "pg");
        reserved.setExtraOptions("--file=/tmp/x");
        assertEquals(Messages.Validation_ExtraOptionReserved("--file"), reserved.validate().message());
    }

    @Test
    void targetPrefixLosesItsSlashes() {
        StorageTarget t = new StorageTarget("r2", "backups", "keys");
        t.setPrefix("/postgres/prod/");
        assertEquals("postgres/prod", t.getPrefix());
        t.setPrefix("///");
        assertNull(t.getPrefix());
    }

    @Test
    void targetDefaultsAndValidation() {
        StorageTarget t = new StorageTarget("r2", "backups", "keys");
        assertEquals(StorageProvider.AMAZON_S3, t.getProvider());
        assertEquals(ChecksumMode.AUTO, t.getChecksumMode());
        t.setProvider(null);
        t.setChecksumMode(null);
        assertEquals(StorageProvider.AMAZON_S3, t.getProvider());
        assertEquals(ChecksumMode.AUTO, t.getChecksumMode());
        t.setProvider(StorageProvider.CLOUDFLARE_R2);
        assertEquals(Messages.Validation_EndpointRequired(), t.validate().message());
        t.setEndpoint("https://acc.r2.cloudflarestorage.com");
        assertEquals(Kind.OK, t.validate().kind());
        RetentionSettings r = new RetentionSettings();
        r.setMinKept(0);
        t.setRetention(r);
        assertEquals(Messages.Validation_MinKept(), t.validate().message());
    }

    @Test
    void checksumsOnlyWhenRequiredExceptOnAmazonS3() {
        assertFalse(ChecksumMode.AUTO.whenRequiredOnly(StorageProvider.AMAZON_S3));
        assertTrue(ChecksumMode.AUTO.whenRequiredOnly(StorageProvider.CLOUDFLARE_R2));
        assertTrue(ChecksumMode.AUTO.whenRequiredOnly(StorageProvider.S3_COMPATIBLE));
        assertTrue(ChecksumMode.ON.whenRequiredOnly(StorageProvider.AMAZON_S3));
        assertFalse(ChecksumMode.OFF.whenRequiredOnly(StorageProvider.CLOUDFLARE_R2));
        assertEquals(ChecksumMode.ON, ChecksumMode.fromName(" on "));
        assertEquals(ChecksumMode.AUTO, ChecksumMode.fromName(null));
    }

    @Test
    void providerFromItsNameOrAnInlineEndpoint() {
        assertEquals(StorageProvider.CLOUDFLARE_R2, StorageProvider.fromName("cloudflare-r2"));
        assertEquals(StorageProvider.AMAZON_S3, StorageProvider.fromName(""));
        assertEquals(StorageProvider.AMAZON_S3, StorageProvider.inferFromEndpoint(null));
        assertEquals(StorageProvider.CLOUDFLARE_R2,
                StorageProvider.inferFromEndpoint("https://ACC.R2.cloudflarestorage.com"));
        assertEquals(StorageProvider.S3_COMPATIBLE, StorageProvider.inferFromEndpoint("http://127.0.0.1:9000"));
    }

    @Test
    void listsAreCheckedAsAWholeAndNameTheBadEntry() {
        DatabaseConnection a = new DatabaseConnection("a", "db", "app", "pg");
        DatabaseConnection badPort = new DatabaseConnection("b", "db", "app", "pg");
        badPort.setPort(0);
        assertEquals("b: " + Messages.Validation_PortRange(),
                SettingsChecks.connections(List.of(a, badPort)).message());
        assertEquals(Messages.Validation_NameDuplicate("a"), SettingsChecks.connections(List.of(a, a)).message());
        StorageTarget t = new StorageTarget("t", "Bad_Bucket", "k");
        assertEquals("t: " + Messages.Validation_BucketInvalid("Bad_Bucket"),
                SettingsChecks.storageTargets(List.of(t)).message());
        assertEquals(a, SettingsChecks.byName(List.of(badPort, a), " a ", DatabaseConnection::getName));
        assertNull(SettingsChecks.byName(List.of(a), "A", DatabaseConnection::getName));
    }

    @Test
    void namesAreCheckedApartFromTheEntriesFieldsSoThatBindingCanKeepAnEntryWithABadField() {
        DatabaseConnection a = new DatabaseConnection("a", "db", "app", "pg");
        DatabaseConnection badPort = new DatabaseConnection("b", "db", "app", "pg");
        badPort.setPort(0);
        assertEquals(FieldCheck.Kind.OK, SettingsChecks.connectionNames(List.of(a, badPort)).kind());
        assertEquals(Messages.Validation_NameDuplicate("a"), SettingsChecks.connectionNames(List.of(a, a)).message());
        assertEquals(Messages.Validation_NameRequired(),
                SettingsChecks.connectionNames(List.of(new DatabaseConnection(" ", "db", "app", "pg"))).message());
        assertEquals(List.of("b: " + Messages.Validation_PortRange()),
                SettingsChecks.entryProblems(List.of(a, badPort), DatabaseConnection::getName,
                        DatabaseConnection::validate));
        StorageTarget t = new StorageTarget("t", "Bad_Bucket", "k");
        StorageTarget u = new StorageTarget("u", "fine", "k");
        assertEquals(FieldCheck.Kind.OK, SettingsChecks.storageTargetNames(List.of(t, u)).kind());
        assertEquals(Messages.Validation_NameDuplicate("t"), SettingsChecks.storageTargetNames(List.of(t, t)).message());
    }

    @Test
    void discordWantsWhatWasTicked() {
        DiscordNotification d = new DiscordNotification(" hook ");
        assertEquals("hook", d.getWebhookCredentialsId());
        assertTrue(d.wants(true) && d.wants(false));
        d.setNotifyOnSuccess(false);
        assertFalse(d.wants(true));
        assertTrue(d.wants(false));
        assertEquals(Messages.Validation_WebhookRequired(), new DiscordNotification(" ").validate().message());
    }

    @Test
    void retentionValuesAreCheckedTogether() {
        RetentionSettings r = new RetentionSettings();
        r.setKeepLast(7);
        r.setKeepDays(-1);
        assertEquals(Messages.Validation_NotNegative(), r.validate().message());
        r.setKeepDays(0);
        assertEquals(Kind.OK, r.validate().kind());
        r.setUnfinishedGraceHours(0);
        assertEquals(Messages.Validation_UnfinishedGraceHours(1), r.validate().message());
        r.setUnfinishedGraceHours(2);
        assertEquals(Kind.OK, r.validate().kind());
    }

    @Test
    void aStorageTargetWithATooShortGraceIsInvalidAndEqualityCountsTheGrace() {
        StorageTarget t = new StorageTarget("r2", "backups", "r2-keys");
        RetentionSettings r = new RetentionSettings();
        r.setUnfinishedGraceHours(0);
        t.setRetention(r);
        assertEquals(Messages.Validation_UnfinishedGraceHours(1), t.validate().message());
        RetentionSettings other = new RetentionSettings();
        other.setUnfinishedGraceHours(0);
        assertEquals(r, other);
        other.setUnfinishedGraceHours(3);
        assertNotEquals(r, other);
    }

    @Test
    void formNumbersTellBlankFromGarbage() {
        assertNull(FormNumbers.parseOrNull(" "));
        assertEquals(Integer.MIN_VALUE, FormNumbers.parseOrNull("ten"));
        assertEquals(12, FormNumbers.parse(" 12 ", 5));
        assertEquals(5, FormNumbers.parse("", 5));
    }
}
