package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.config.FieldCheck.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValidationTest {

    @Test
    void namesMustBeGivenAndSafeForPipelines() {
        assertEquals(Kind.OK, ConfigValidation.name("prod-eu_1.main").kind());
        assertEquals(Messages.Validation_NameRequired(), ConfigValidation.name("  ").message());
        FieldCheck bad = ConfigValidation.name("my db");
        assertEquals(Kind.ERROR, bad.kind());
        assertTrue(bad.message().contains("'my db'"), bad.message());
        assertEquals(Kind.ERROR, ConfigValidation.name("-leading").kind());
    }

    @Test
    void duplicateNamesAreNamedInTheError() {
        FieldCheck c = ConfigValidation.uniqueNames(List.of("a", "b", " a "));
        assertEquals(Kind.ERROR, c.kind());
        assertEquals(Messages.Validation_NameDuplicate("a"), c.message());
        assertEquals(Kind.OK, ConfigValidation.uniqueNames(List.of("a", "b")).kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"db.example.com", "10.0.0.5", "::1", "fe80::1%eth0", "pg_primary"})
    void acceptsHostNamesAndAddresses(String host) {
        assertEquals(Kind.OK, ConfigValidation.host(host).kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres://db", "db:5432", "db/app", "db example"})
    void refusesUrlsPortsAndSpacesInHost(String host) {
        FieldCheck c = ConfigValidation.host(host);
        assertEquals(Kind.ERROR, c.kind());
        assertEquals(Messages.Validation_HostInvalid(host), c.message());
    }

    @Test
    void portIsInRange() {
        assertEquals(Kind.OK, ConfigValidation.port(5432).kind());
        assertEquals(Kind.ERROR, ConfigValidation.port(0).kind());
        assertEquals(Kind.ERROR, ConfigValidation.port(65536).kind());
    }

    @Test
    void databaseNamesMayHoldAnyCharacterButNotExceed63Bytes() {
        assertEquals(Kind.OK, ConfigValidation.database("Ünïcode db; drop table x").kind());
        String tooLong = "é".repeat(32); // 64 bytes in UTF-8
        FieldCheck c = ConfigValidation.database(tooLong);
        assertEquals(Messages.Validation_DatabaseTooLong(64), c.message());
        assertEquals(Kind.ERROR, ConfigValidation.database("").kind());
    }

    @Test
    void onlyAmazonS3MayGoWithoutAnAccessKey() {
        assertEquals(Messages.Validation_StorageCredentialsDefault(),
                ConfigValidation.storageCredentials(" ", StorageProvider.AMAZON_S3).message());
        assertEquals(Kind.OK, ConfigValidation.storageCredentials(" ", StorageProvider.AMAZON_S3).kind());
        assertEquals(Messages.Validation_StorageCredentialsRequired(),
                ConfigValidation.storageCredentials(null, StorageProvider.CLOUDFLARE_R2).message());
        assertEquals(Kind.OK, ConfigValidation.storageCredentials("keys", StorageProvider.S3_COMPATIBLE).kind());
    }

    @Test
    void sslModeIsOneOfLibpqs() {
        assertEquals(Kind.OK, ConfigValidation.sslMode("verify-full").kind());
        assertEquals(Kind.OK, ConfigValidation.sslMode(null).kind());
        assertEquals(Messages.Validation_SslModeInvalid("strict"), ConfigValidation.sslMode("strict").message());
    }

    @Test
    void postgresVersionIsDetectedPinnedOrRefused() {
        assertEquals(Kind.OK, ConfigValidation.postgresVersion("").kind());
        assertEquals(Messages.Validation_PostgresVersionDetect(), ConfigValidation.postgresVersion("latest").message());
        assertEquals(Kind.OK, ConfigValidation.postgresVersion("16").kind());
        assertNull(ConfigValidation.postgresVersion("9.6").message());
        assertEquals(Messages.Validation_PostgresVersionTooOld("9.1"),
                ConfigValidation.postgresVersion("9.1").message());
        assertEquals(Kind.ERROR, ConfigValidation.postgresVersion("seventeen").kind());
    }

    @Test
    void bucketNamesFollowS3Rules() {
        assertEquals(Kind.OK, ConfigValidation.bucket("my-backups.eu").kind());
        assertEquals(Kind.ERROR, ConfigValidation.bucket("My_Bucket").kind());
        assertEquals(Kind.ERROR, ConfigValidation.bucket("ab").kind());
        assertEquals(Kind.ERROR, ConfigValidation.bucket("a..b").kind());
        assertEquals(Messages.Validation_BucketRequired(), ConfigValidation.bucket(null).message());
    }

    @Test
    void prefixesMayNotEscapeOrBeAmbiguous() {
        assertEquals(Kind.OK, ConfigValidation.prefix("postgres/prod").kind());
        assertEquals(Kind.OK, ConfigValidation.prefix(null).kind());
        for (String bad : List.of("/abs", "a/../b", "a//b", "a\\b", "a\nb")) {
            assertEquals(Kind.ERROR, ConfigValidation.prefix(bad).kind(), bad);
        }
    }

    @Test
    void theEndpointTheMessagesSuggestIsAcceptedWithAWarningToReplaceThePlaceholder() {
        String suggested = "https://ACCOUNT_ID.r2.cloudflarestorage.com";
        assertTrue(ConfigValidation.endpoint("x y", StorageProvider.CLOUDFLARE_R2).message().contains(suggested));
        FieldCheck c = ConfigValidation.endpoint(suggested, StorageProvider.CLOUDFLARE_R2);
        assertEquals(Kind.WARNING, c.kind(), c.message());
        assertEquals(Messages.Validation_EndpointPlaceholder("ACCOUNT_ID.r2.cloudflarestorage.com"), c.message());
        assertEquals(Kind.ERROR, ConfigValidation.endpointInUse(suggested, StorageProvider.CLOUDFLARE_R2).kind());
        assertEquals(Kind.WARNING,
                ConfigValidation.endpoint("http://minio_1:9000/", StorageProvider.S3_COMPATIBLE).kind());
        assertEquals(Kind.OK, ConfigValidation.endpoint("https://0123456789ABCDEF0123456789abcdef.R2.Cloudflarestorage.com",
                StorageProvider.CLOUDFLARE_R2).kind());
        assertEquals(Kind.OK, ConfigValidation.endpointInUse("https://abc.r2.cloudflarestorage.com",
                StorageProvider.CLOUDFLARE_R2).kind());
        for (String bad : List.of("https://a_b:port", "https://_:9:9", "https://user@ACCOUNT_ID.example.com",
                "https://-a_b.example.com", "https://a_b..example.com", "ftp://ACCOUNT_ID.example.com", "https://")) {
            assertEquals(Kind.ERROR, ConfigValidation.endpoint(bad, StorageProvider.S3_COMPATIBLE).kind(), bad);
        }
    }

    @Test
    void endpointDependsOnTheProvider() {
        assertEquals(Kind.OK, ConfigValidation.endpoint("", StorageProvider.AMAZON_S3).kind());
        assertEquals(Messages.Validation_EndpointRequired(),
                ConfigValidation.endpoint(null, StorageProvider.CLOUDFLARE_R2).message());
        assertEquals(Messages.Validation_EndpointRequired(),
                ConfigValidation.endpoint(null, StorageProvider.S3_COMPATIBLE).message());
        assertEquals(Kind.OK, ConfigValidation.endpoint("https://abc123.r2.cloudflarestorage.com",
                StorageProvider.CLOUDFLARE_R2).kind());
        assertEquals(Messages.Validation_EndpointNotR2(),
                ConfigValidation.endpoint("https://minio.example.com", StorageProvider.CLOUDFLARE_R2).message());
        assertEquals(Messages.Validation_EndpointPlainHttp(),
                ConfigValidation.endpoint("http://127.0.0.1:9000", StorageProvider.S3_COMPATIBLE).message());
        assertEquals(Kind.ERROR, ConfigValidation.endpoint("minio:9000", StorageProvider.S3_COMPATIBLE).kind());
        assertEquals(Kind.ERROR,
                ConfigValidation.endpoint("https://key:secret@host", StorageProvider.S3_COMPATIBLE).kind());
    }

    @Test
    void regionWarnsWhereTheProviderExpectsSomethingElse() {
        assertEquals(Messages.Validation_RegionDefault(),
                ConfigValidation.region(null, StorageProvider.AMAZON_S3).message());
        assertEquals(Kind.WARNING, ConfigValidation.region(null, StorageProvider.S3_COMPATIBLE).kind());
        assertEquals(Kind.OK, ConfigValidation.region(null, StorageProvider.CLOUDFLARE_R2).kind());
        assertEquals(Kind.WARNING, ConfigValidation.region("eu-west-1", StorageProvider.CLOUDFLARE_R2).kind());
        assertEquals(Kind.OK, ConfigValidation.region("eu-west-1", StorageProvider.AMAZON_S3).kind());
        assertEquals(Kind.ERROR, ConfigValidation.region("EU West", StorageProvider.AMAZON_S3).kind());
    }

    @Test
    void numbersAreInTheirRanges() {
        assertEquals(Kind.OK, ConfigValidation.timeoutMinutes(30).kind());
        assertEquals(Messages.Validation_TimeoutRange(ConfigValidation.MAX_TIMEOUT_MINUTES),
                ConfigValidation.timeoutMinutes(0).message());
        assertEquals(Kind.ERROR, ConfigValidation.timeoutMinutes(ConfigValidation.MAX_TIMEOUT_MINUTES + 1).kind());
        assertEquals(Kind.OK, ConfigValidation.versionCacheHours(0).kind());
        assertEquals(Kind.ERROR, ConfigValidation.versionCacheHours(-1).kind());
        assertEquals(Kind.OK, ConfigValidation.jobs(null).kind());
        assertEquals(Kind.ERROR, ConfigValidation.jobs(0).kind());
        assertEquals(Kind.ERROR, ConfigValidation.jobs(65).kind());
        assertEquals(Kind.OK, ConfigValidation.retentionCount(0).kind());
        assertEquals(Messages.Validation_NotNegative(), ConfigValidation.retentionCount(-1).message());
        assertEquals(Messages.Validation_MinKept(), ConfigValidation.minKept(0).message());
    }

    @Test
    void theGraceForLeftoversIsEmptyOrAtLeastOneHour() {
        assertEquals(Kind.OK, ConfigValidation.unfinishedGraceHours(null).kind());
        assertEquals(Kind.OK, ConfigValidation.unfinishedGraceHours(1).kind());
        assertEquals(Kind.OK, ConfigValidation.unfinishedGraceHours(168).kind());
        assertEquals(Messages.Validation_UnfinishedGraceHours(1), ConfigValidation.unfinishedGraceHours(0).message());
        assertEquals(Kind.ERROR, ConfigValidation.unfinishedGraceHours(-5).kind());
        assertEquals(Kind.ERROR, ConfigValidation.unfinishedGraceHours(FormNumbers.parseOrNull("a day")).kind());
    }

    @Test
    void formatAndCompressionAreWhatPgDumpTakes() {
        assertEquals(Kind.OK, ConfigValidation.format("directory").kind());
        assertEquals(Kind.OK, ConfigValidation.format(null).kind());
        assertEquals(Messages.Validation_FormatInvalid("zip"), ConfigValidation.format("zip").message());
        assertEquals(Kind.OK, ConfigValidation.compression("zstd:3", "custom").kind());
        assertEquals(Kind.OK, ConfigValidation.compression("auto", null).kind());
        assertEquals(Messages.Validation_CompressionInvalid("brotli"),
                ConfigValidation.compression("brotli", null).message());
        assertEquals(Messages.Validation_CompressionTar(), ConfigValidation.compression("gzip:6", "tar").message());
        assertEquals(Kind.OK, ConfigValidation.compression("none", "tar").kind());
    }

    @Test
    void toolRootsMustBeAbsoluteOnUnixOrWindows() {
        assertEquals(Kind.OK, ConfigValidation.toolSearchRoots("/opt/pg\n\nD:\\PostgreSQL\n").kind());
        assertEquals(Messages.Validation_ToolRootNotAbsolute("opt/pg"),
                ConfigValidation.toolSearchRoots("/usr\nopt/pg").message());
    }

    @Test
    void worstPrefersTheFirstErrorThenTheFirstWarning() {
        FieldCheck w = FieldCheck.warning("w");
        FieldCheck e1 = FieldCheck.error("e1");
        assertEquals(e1, ConfigValidation.worst(List.of(FieldCheck.ok(), w, e1, FieldCheck.error("e2"))));
        assertEquals(w, ConfigValidation.worst(List.of(FieldCheck.ok("fine"), w, FieldCheck.warning("x"))));
        assertEquals(Kind.OK, ConfigValidation.worst(List.of()).kind());
    }

    @Test
    void errorsStopSettersWarningsDoNot() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FieldCheck.error("no").throwIfError());
        assertEquals("no", e.getMessage());
        FieldCheck.warning("careful").throwIfError();
    }
}
