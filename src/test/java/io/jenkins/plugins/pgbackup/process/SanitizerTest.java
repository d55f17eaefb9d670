package io.jenkins.plugins.pgbackup.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SanitizerTest {
    @Test
    void masksKnownSecretsAlsoUrlEncoded() {
        assertEquals("login with **** failed, sent ****",
                Sanitizer.sanitize("login with p@ss w:rd failed, sent p%40ss+w%3Ard", List.of("p@ss w:rd")));
    }

    @Test
    void masksPasswordSettingsWhateverTheirQuoting() {
        assertEquals("host=db password=**** user=x",
                Sanitizer.sanitize("host=db password=hunter2 user=x", List.of()));
        assertEquals("password = **** dbname=d",
                Sanitizer.sanitize("password = 'it\\'s secret' dbname=d", List.of()));
        assertEquals("PGPASSWORD=**** pg_dump", Sanitizer.sanitize("PGPASSWORD=\"a b\" pg_dump", List.of()));
    }

    @Test
    void masksCredentialsInUris() {
        assertEquals("postgresql://app:****@db:5432/prod and s3://k:****@bucket/x",
                Sanitizer.sanitize("postgresql://app:pw@db:5432/prod and s3://k:s@bucket/x", List.of()));
    }

    @Test
    void leavesOrdinaryMessagesAlone() {
        String message = "pg_dump: error: connection to server at \"db\" (10.0.0.1), port 5432 failed: "
                + "FATAL:  password authentication failed for user \"postgres\"";
        assertEquals(message, Sanitizer.sanitize(message, List.of("", "unrelated")));
    }
}
