package io.jenkins.plugins.pgbackup.demo;

import java.util.List;

/**
 * The demo's credentials, as the Jenkins part creates them (global scope): the database roles, the S3 key pair and
 * the age identity that decrypts the demo's backups.
 *
 * @param username {@code null} for secret text
 * @param secret the password, or the secret text
 */
public record DemoCredentials(String id, String description, String username, String secret) {
    public static final String OWNER = "demo-shop-owner";
    public static final String POSTGRES = "demo-postgres";
    public static final String S3_KEYS = "demo-s3-keys";
    public static final String AGE_IDENTITY = "demo-age-identity";

    public boolean isSecretText() {
        return username == null;
    }

    public static List<DemoCredentials> of(DemoSecrets secrets) {
        return List.of(
                new DemoCredentials(OWNER, "Demo: the sample database's owner role", DemoSample.OWNER,
                        secrets.ownerPassword()),
                new DemoCredentials(POSTGRES, "Demo: the demo server's superuser (restores and drills)", "postgres",
                        secrets.postgresPassword()),
                new DemoCredentials(S3_KEYS, "Demo: the S3 access key id and secret key", secrets.s3AccessKey(),
                        secrets.s3SecretKey()),
                new DemoCredentials(AGE_IDENTITY, "Demo: the age identity that decrypts the demo's backups", null,
                        secrets.ageIdentity()));
    }

    @Override
    public String toString() {
        return "DemoCredentials[" + id + "]";
    }
}
