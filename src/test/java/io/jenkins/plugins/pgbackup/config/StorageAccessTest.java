package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.thoughtworks.xstream.XStream;
import org.junit.jupiter.api.Test;

/** New targets let the controller sign; targets saved before the setting existed keep handing agents the keys. */
class StorageAccessTest {

    @Test
    void aNewTargetLetsTheControllerSign() {
        StorageTarget t = new StorageTarget("prod", "bucket", "keys");
        assertEquals(StorageAccess.CONTROLLER_SIGNS, t.getAccess());
        t.setAccess(StorageAccess.AGENT_KEYS);
        assertEquals(StorageAccess.AGENT_KEYS, t.getAccess());
        t.setAccess(null);
        assertEquals(StorageAccess.CONTROLLER_SIGNS, t.getAccess(), "a form or YAML without it gets the default");
    }

    @Test
    void aTargetSavedBeforeTheSettingExistedKeepsHandingAgentsTheKeys() {
        XStream xs = new XStream();
        xs.allowTypes(new Class<?>[] {StorageTarget.class});
        String saved = xs.toXML(new StorageTarget("prod", "bucket", "keys"));
        String old = saved.replaceAll("\\s*<access>[A-Z_]+</access>", "");
        assertNotEquals(saved, old, saved);
        StorageTarget read = (StorageTarget) xs.fromXML(old);
        assertEquals(StorageAccess.AGENT_KEYS, read.getAccess());
        assertEquals(StorageAccess.CONTROLLER_SIGNS, ((StorageTarget) xs.fromXML(saved)).getAccess());
    }

    @Test
    void theStepsNameTheModesShortly() {
        assertEquals(StorageAccess.CONTROLLER_SIGNS, StorageAccess.fromName(" controller ", null));
        assertEquals(StorageAccess.AGENT_KEYS, StorageAccess.fromName("agent-keys", null));
        assertEquals(StorageAccess.AGENT_KEYS, StorageAccess.fromName(null, StorageAccess.AGENT_KEYS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StorageAccess.fromName("both", null));
        assertEquals("Storage access must be 'controller' or 'agent', not 'both'", e.getMessage());
    }
}
