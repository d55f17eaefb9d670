package io.jenkins.plugins.pgbackup.demo;

import java.net.URI;

/**
 * What the demo's services offer once started: where the database and the S3 API listen (ports change with every
 * start) and the secrets they use (the same from one start to the next).
 */
public record DemoEnvironment(int postgresPort, URI s3Endpoint, DemoSecrets secrets) {}
