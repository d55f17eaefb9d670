package io.jenkins.plugins.pgbackup.config;

import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import io.jenkins.plugins.pgbackup.db.SslMode;
import io.jenkins.plugins.pgbackup.dump.Compression;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;
import io.jenkins.plugins.pgbackup.retention.Pruner;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for every configurable field, shared by the form checks ({@code doCheck…}), the validating setters and
 * the steps. Plain Java, so every rule is unit-tested without Jenkins.
 */
public final class ConfigValidation {

    public static final int MAX_TIMEOUT_MINUTES = 7 * 24 * 60;
    public static final int MAX_CACHE_HOURS = 365 * 24;
    public static final int MAX_JOBS = 64;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Host names, IPv4 and bracket-less IPv6 addresses; no scheme, port or path. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:%-]+");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
    /** A DNS name whose labels may have underscores, with an optional port: what URI leaves as a registry name. */
    private static final Pattern REGISTRY_AUTHORITY =
            Pattern.compile("((?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?\\.)*[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)"
                    + "(?::[0-9]{1,5})?");
    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("[A-Za-z]:[\\\\/].*");

    private ConfigValidation() {}

    public static FieldCheck name(String value) {
        String v = Text.trimToNull(value);
        if (v == null) {
            return FieldCheck.error(Messages.Validation_NameRequired());
        }
        return NAME.matcher(v).matches() ? FieldCheck.ok() : FieldCheck.error(Messages.Validation_NameInvalid(v));
    }

    /** Names of connections or of storage targets must be unique, as steps look them up by name. */
    public static FieldCheck uniqueNames(Collection<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            FieldCheck c = name(n);
            if (c.isError()) {
                return c;
            }
            if (!seen.add(n.trim())) {
                return FieldCheck.error(Messages.Validation_NameDuplicate(n.trim()));
            }
        }
        return FieldCheck.ok();
    }

    public static FieldCheck host(String value) {
        String v = Text.trimToNull(value);
        if (v == null) {
            return FieldCheck.error(Messages.Validation_HostRequired());
        }
        boolean looksLikeUrl = v.contains("://") || v.contains("/");
        boolean hostWithPort = v.chars().filter(c -> c == ':').count() == 1;
        if (looksLikeUrl || hostWithPort || !HOST.matcher(v).matches()) {
            return FieldCheck.error(Messages.Validation_HostInvalid(v));
        }
        return FieldCheck.ok();
    }

    public static FieldCheck port(int port) {
        return port >= 1 && port <= 65535 ? FieldCheck.ok() : FieldCheck.error(Messages.Validation_PortRange());
    }

    /** Any characters are allowed (the tools take the name as an argument, never through a shell). */
    public static FieldCheck database(String value) {
        if (value == null || value.isBlank()) {
            return FieldCheck.error(Messages.Validation_DatabaseRequired());
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        return bytes > 63 ? FieldCheck.error(Messages.Validation_DatabaseTooLong(bytes)) : FieldCheck.ok();
    }

    public static FieldCheck credentialsRequired(String credentialsId) {
        return Text.trimToNull(credentialsId) == null
                ? FieldCheck.error(Messages.Validation_CredentialsRequired())
                : FieldCheck.ok();
    }

    /** Amazon S3 may use the agent's own AWS credentials (environment, profile, instance role); others need keys. */
    public static FieldCheck storageCredentials(String credentialsId, StorageProvider provider) {
        if (Text.trimToNull(credentialsId) != null) {
            return FieldCheck.ok();
        }
        return provider == null || provider == StorageProvider.AMAZON_S3
                ? FieldCheck.ok(Messages.Validation_StorageCredentialsDefault())
                : FieldCheck.error(Messages.Validation_StorageCredentialsRequired());
    }

    public static FieldCheck sslMode(String value) {
        try {
            SslMode.fromValue(value);
            return FieldCheck.ok();
        } catch (IllegalArgumentException e) {
            return FieldCheck.error(Messages.Validation_SslModeInvalid(value));
        }
    }

    /** Empty or "latest" means detect; otherwise a major version the tools can still dump. */
    public static FieldCheck postgresVersion(String value) {
        String v = Text.trimToNull(value);
        if (v == null || v.equalsIgnoreCase("latest")) {
            return FieldCheck.ok(Messages.Validation_PostgresVersionDetect());
        }
        PostgresVersion version;
        try {
            version = PostgresVersion.parse(v);
        } catch (IllegalArgumentException e) {
            return FieldCheck.error(Messages.Validation_PostgresVersionInvalid(v));
        }
        if (version.versionNum() < 90200) {
            return FieldCheck.error(Messages.Validation_PostgresVersionTooOld(version.majorLabel()));
        }
        return FieldCheck.ok();
    }

    public static FieldCheck extraOptions(String value) {
        try {
            ExtraOptions.parse(value);
            return FieldCheck.ok();
        } catch (IllegalArgumentException e) {
            return FieldCheck.error(e.getMessage());
        }
    }

    /** age recipients (public keys), one per line or comma-separated; blank is fine (no encryption). */
    public static FieldCheck ageRecipients(String value) {
        try {
            int n = AgeKeys.parseRecipients(value).size();
            return n == 0 ? FieldCheck.ok() : FieldCheck.ok(n + " recipient(s): backups are encrypted with age");
        } catch (IllegalArgumentException e) {
            return FieldCheck.error(Messages.Validation_AgeRecipients(e.getMessage()));
        }
    }

    public static FieldCheck bucket(String value) {
        String v = Text.trimToNull(value);
        if (v == null) {
            return FieldCheck.error(Messages.Validation_BucketRequired());
        }
        boolean ok = BUCKET.matcher(v).matches() && !v.contains("..");
        return ok ? FieldCheck.ok() : FieldCheck.error(Messages.Validation_BucketInvalid(v));
    }

    public static FieldCheck prefix(String value) {
        String v = Text.trimToNull(value);
        if (v == null) {
            return FieldCheck.ok();
        }
        boolean bad = v.startsWith("/") || v.contains("..") || v.contains("//") || v.contains("\\")
                || v.chars().anyMatch(Character::isISOControl);
        return bad ? FieldCheck.error(Messages.Validation_PrefixInvalid(v)) : FieldCheck.ok();
    }

    public static FieldCheck endpoint(String value, StorageProvider provider) {
        String v = Text.trimToNull(value);
        StorageProvider p = provider == null ? StorageProvider.AMAZON_S3 : provider;
        if (v == null) {
            return p == StorageProvider.AMAZON_S3 ? FieldCheck.ok() : FieldCheck.error(Messages.Validation_EndpointRequired());
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            return FieldCheck.error(Messages.Validation_EndpointInvalid(v));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = endpointHost(uri);
        if (!(scheme.equals("http") || scheme.equals("https")) || host == null || uri.getUserInfo() != null
                || uri.getQuery() != null) {
            return FieldCheck.error(Messages.Validation_EndpointInvalid(v));
        }
        if (host.indexOf('_') >= 0) {
            return FieldCheck.warning(Messages.Validation_EndpointPlaceholder(host));
        }
        if (scheme.equals("http")) {
            return FieldCheck.warning(Messages.Validation_EndpointPlainHttp());
        }
        if (p == StorageProvider.CLOUDFLARE_R2 && !host.toLowerCase(Locale.ROOT).endsWith(".r2.cloudflarestorage.com")) {
            return FieldCheck.warning(Messages.Validation_EndpointNotR2());
        }
        if (p == StorageProvider.AMAZON_S3) {
            return FieldCheck.ok(Messages.Validation_EndpointAws());
        }
        return FieldCheck.ok();
    }

    /**
     * For a step about to use the endpoint: what the form only warns about (a host name with an underscore, as the
     * ACCOUNT_ID placeholder) cannot be reached, so it is an error here.
     */
    public static FieldCheck endpointInUse(String value, StorageProvider provider) {
        FieldCheck c = endpoint(value, provider);
        if (c.kind() == FieldCheck.Kind.WARNING && Text.trimToNull(value) != null) {
            String host = endpointHost(URI.create(value.trim()));
            if (host != null && host.indexOf('_') >= 0) {
                return FieldCheck.error(c.message());
            }
        }
        return c;
    }

    /**
     * The endpoint's host name. {@link URI#getHost()} is {@code null} for a name with an underscore, such as the
     * {@code ACCOUNT_ID} placeholder the messages and the README show: such a name is read from the authority here, so
     * that it is a warning to act on, not a refusal that stops Configuration as Code.
     */
    static String endpointHost(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        String authority = uri.getRawAuthority();
        if (authority == null) {
            return null;
        }
        Matcher m = REGISTRY_AUTHORITY.matcher(authority);
        return m.matches() ? m.group(1) : null;
    }

    public static FieldCheck region(String value, StorageProvider provider) {
        String v = Text.trimToNull(value);
        StorageProvider p = provider == null ? StorageProvider.AMAZON_S3 : provider;
        if (v == null) {
            return p == StorageProvider.CLOUDFLARE_R2 ? FieldCheck.ok() : FieldCheck.warning(Messages.Validation_RegionDefault());
        }
        if (!REGION.matcher(v).matches()) {
            return FieldCheck.error(Messages.Validation_RegionInvalid(v));
        }
        if (p == StorageProvider.CLOUDFLARE_R2 && !v.equals("auto")) {
            return FieldCheck.warning(Messages.Validation_RegionR2());
        }
        return FieldCheck.ok();
    }

    public static FieldCheck timeoutMinutes(int minutes) {
        return minutes >= 1 && minutes <= MAX_TIMEOUT_MINUTES
                ? FieldCheck.ok()
                : FieldCheck.error(Messages.Validation_TimeoutRange(MAX_TIMEOUT_MINUTES));
    }

    public static FieldCheck format(String value) {
        try {
            DumpFormat.fromId(value);
            return FieldCheck.ok();
        } catch (IllegalArgumentException e) {
            return FieldCheck.error(Messages.Validation_FormatInvalid(value));
        }
    }

    public static FieldCheck compression(String value, String format) {
        Compression c;
        try {
            c = Compression.parse(value);
        } catch (IllegalArgumentException e) {
            return FieldCheck.error(Messages.Validation_CompressionInvalid(value));
        }
        boolean tar = Text.trimToNull(format) != null && format(format).kind() != FieldCheck.Kind.ERROR
                && DumpFormat.fromId(format) == DumpFormat.TAR;
        if (tar && c != null && c.algorithm() != Compression.Algorithm.NONE) {
            return FieldCheck.warning(Messages.Validation_CompressionTar());
        }
        return FieldCheck.ok();
    }

    public static FieldCheck versionCacheHours(int hours) {
        return hours >= 0 && hours <= MAX_CACHE_HOURS
                ? FieldCheck.ok()
                : FieldCheck.error(Messages.Validation_CacheHoursRange(MAX_CACHE_HOURS));
    }

    /** One absolute directory per line: Unix ({@code /opt/pg}) or Windows ({@code D:\pg}) agents. */
    public static FieldCheck toolSearchRoots(String value) {
        for (String line : Text.lines(value)) {
            if (!line.startsWith("/") && !WINDOWS_ABSOLUTE.matcher(line).matches()) {
                return FieldCheck.error(Messages.Validation_ToolRootNotAbsolute(line));
            }
        }
        return FieldCheck.ok();
    }

    /** Retention counts: empty inherits, 0 switches the rule off. */
    public static FieldCheck retentionCount(Integer value) {
        return value == null || value >= 0 ? FieldCheck.ok() : FieldCheck.error(Messages.Validation_NotNegative());
    }

    public static FieldCheck minKept(Integer value) {
        return value == null || value >= 1 ? FieldCheck.ok() : FieldCheck.error(Messages.Validation_MinKept());
    }

    /**
     * The grace period for leftovers of unfinished backups: empty inherits (24 h); at least
     * {@value Pruner#MINIMUM_GRACE_HOURS} hour, because S3 dates a multipart object by the start of its upload, so a
     * shorter grace could delete a long upload another job is finishing.
     */
    public static FieldCheck unfinishedGraceHours(Integer value) {
        return value == null || value >= Pruner.MINIMUM_GRACE_HOURS
                ? FieldCheck.ok()
                : FieldCheck.error(Messages.Validation_UnfinishedGraceHours(Pruner.MINIMUM_GRACE_HOURS));
    }

    public static FieldCheck jobs(Integer value) {
        return value == null || (value >= 1 && value <= MAX_JOBS)
                ? FieldCheck.ok()
                : FieldCheck.error(Messages.Validation_JobsRange(MAX_JOBS));
    }

    public static FieldCheck webhookCredentials(String credentialsId) {
        return Text.trimToNull(credentialsId) == null
                ? FieldCheck.error(Messages.Validation_WebhookRequired())
                : FieldCheck.ok();
    }

    /** The first error among several checks, else the first warning, else OK. */
    public static FieldCheck worst(List<FieldCheck> checks) {
        FieldCheck warning = null;
        for (FieldCheck c : checks) {
            if (c.isError()) {
                return c;
            }
            if (warning == null && c.kind() == FieldCheck.Kind.WARNING) {
                warning = c;
            }
        }
        return warning != null ? warning : FieldCheck.ok();
    }
}
