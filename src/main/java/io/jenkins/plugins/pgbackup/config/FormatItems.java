package io.jenkins.plugins.pgbackup.config;

import hudson.util.ListBoxModel;
import io.jenkins.plugins.pgbackup.dump.DumpFormat;

/** The dump format drop-down, shared by the global defaults and the build steps. */
public final class FormatItems {
    private FormatItems() {}

    public static ListBoxModel all() {
        ListBoxModel items = new ListBoxModel();
        items.add(Messages.Format_Default(), "");
        for (DumpFormat f : DumpFormat.values()) {
            items.add(label(f), f.id());
        }
        return items;
    }

    private static String label(DumpFormat f) {
        return switch (f) {
            case CUSTOM -> Messages.Format_custom();
            case DIRECTORY -> Messages.Format_directory();
            case PLAIN -> Messages.Format_plain();
            case TAR -> Messages.Format_tar();
        };
    }
}
