/**
 * Pruning old backups after a successful one: a layered {@link io.jenkins.plugins.pgbackup.retention.RetentionPolicy},
 * the pure {@link io.jenkins.plugins.pgbackup.retention.RetentionPlanner} that decides from the backups' timestamps,
 * and the {@link io.jenkins.plugins.pgbackup.retention.Pruner} that applies a plan through the catalog.
 */
package io.jenkins.plugins.pgbackup.retention;
