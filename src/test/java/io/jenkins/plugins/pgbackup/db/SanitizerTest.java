package io.jenkins.plugins.pgbackup.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SanitizerTest {

    @Test
    void masksTheSecretWhereverItAppears() {
        String s = Sanitizer.withoutSecret("FATAL: bad s3cr3t! and again s3cr3t!", "s3cr3t!");
        assertFalse(s.contains("s3cr3t!"), s);
        assertEquals("FATAL: bad **** and again ****", s);
    }

    @Test
    void masksPasswordAssignmentsAndUriCredentials() {
        assertEquals("host=x password=**** user=y", Sanitizer.withoutSecret("host=x password=hunter2 user=y", null));
        assertEquals("password=**** x", Sanitizer.withoutSecret("password='a b\\'c' x", null));
        assertEquals("postgresql://bob:****@db:5432/x",
                Sanitizer.withoutSecret("postgresql://bob:pa55@db:5432/x", null));
    }

    @Test
    void keepsNull() {
        assertNull(Sanitizer.withoutSecret(null, "x"));
    }
}
