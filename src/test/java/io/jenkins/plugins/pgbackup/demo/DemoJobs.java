package io.jenkins.plugins.pgbackup.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The demo's three jobs, as plain data: a Pipeline that backs up the sample database, restores the backup into a new
 * database and runs a restore drill; the same as a freestyle job (its restore and drill take the newest backup, as a
 * freestyle job cannot pass the key on); and a nightly Pipeline (backup and drill) with a {@code cron} trigger.
 */
public final class DemoJobs {
    public static final String PIPELINE = "demo-backup-restore-drill";
    public static final String FREESTYLE = "demo-freestyle-backup-restore-drill";
    public static final String NIGHTLY = "demo-nightly-backup";
    /** Every night between midnight and 4 a.m., at a minute Jenkins spreads per job ({@code H}). */
    public static final String NIGHTLY_CRON = "H H(0-3) * * *";

    private DemoJobs() {}

    public static DemoStep backup() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("connection", DemoSettings.CONNECTION);
        args.put("storage", DemoSettings.STORAGE);
        return new DemoStep("pgBackup", args, "backup",
                "Stored s3://${backup.bucket}/${backup.key}: ${backup.size} bytes, encrypted: ${backup.encrypted}");
    }

    /** The backup just made ({@code key}), or the newest one of the sample database ({@code latest}). */
    public static DemoStep restore(boolean newest) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("storage", DemoSettings.STORAGE);
        putBackup(args, newest);
        args.put("connection", DemoSettings.RESTORED_CONNECTION);
        // A new database on the first run; later runs replace what the previous restore put there.
        args.put("createDatabase", true);
        args.put("clean", true);
        return new DemoStep("pgRestore", args, "restore",
                "Restored ${restore.sourceDatabase} into ${restore.database} with ${restore.tool} "
                        + "${restore.toolVersion} in ${restore.durationMillis} ms");
    }

    public static DemoStep drill(boolean newest) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("storage", DemoSettings.STORAGE);
        putBackup(args, newest);
        args.put("connection", DemoSettings.DRILLS_CONNECTION);
        args.put("minRows", new TreeMap<>(DemoSample.ROWS));
        args.put("sql", DemoSample.CHECKS);
        return new DemoStep("pgVerify", args, "drill", "Restore drill: ${drill.summary}");
    }

    private static void putBackup(Map<String, Object> args, boolean newest) {
        if (newest) {
            args.put("latest", DemoSample.DATABASE);
        } else {
            args.put("key", DemoStep.BACKUP_KEY);
        }
    }

    /** The Pipeline job's steps. */
    public static List<DemoStep> pipelineSteps() {
        return List.of(backup(), restore(false), drill(false));
    }

    /** The freestyle job's build steps, in order. */
    public static List<DemoStep> freestyleSteps() {
        return List.of(backup(), restore(true), drill(true));
    }

    /** The nightly job's steps. */
    public static List<DemoStep> nightlySteps() {
        return List.of(backup(), drill(false));
    }

    public static String pipelineScript() {
        return script("Back up the demo's sample database, restore the backup into a new database and run a restore "
                + "drill on it.", pipelineSteps());
    }

    public static String nightlyScript() {
        return script("Every night: back up the demo's sample database and run a restore drill on the backup.",
                nightlySteps());
    }

    /** A Pipeline script: the steps inside {@code node}, each result echoed. */
    static String script(String purpose, List<DemoStep> steps) {
        List<String> lines = new ArrayList<>();
        lines.add("// " + purpose);
        lines.add("// The connections and the storage target are under Manage Jenkins » System » PostgreSQL Backup.");
        lines.add("node {");
        for (DemoStep step : steps) {
            lines.add("    def " + step.result() + " = " + step.function() + "(" + arguments(step.arguments()) + ")");
            lines.add("    echo \"" + step.echo() + "\"");
        }
        lines.add("}");
        return String.join("\n", lines) + "\n";
    }

    private static String arguments(Map<String, Object> args) {
        return args.entrySet().stream().map(e -> e.getKey() + ": " + groovy(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** A value as a Groovy literal. */
    static String groovy(Object value) {
        if (value == DemoStep.BACKUP_KEY || value instanceof Boolean || value instanceof Number) {
            return String.valueOf(value);
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> groovy(e.getKey()) + ": " + groovy(e.getValue()))
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(DemoJobs::groovy).collect(Collectors.joining(", ", "[", "]"));
        }
        return "'" + String.valueOf(value).replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * A value as the freestyle form holds it: {@code minRows} as {@code TABLE=ROWS} lines, {@code sql} one query a
     * line; anything else as it is.
     */
    static Object formValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining("\n"));
        }
        return value;
    }
}
