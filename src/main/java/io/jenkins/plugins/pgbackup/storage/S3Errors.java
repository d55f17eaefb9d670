package io.jenkins.plugins.pgbackup.storage;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK exceptions into short messages; the SDK's own never carry credentials. */
public final class S3Errors {
    private S3Errors() {}

    /** A 404: no such key, bucket or upload. */
    public static boolean isNotFound(SdkException e) {
        return e instanceof AwsServiceException s && s.statusCode() == 404;
    }

    /** "NoSuchBucket (404): The specified bucket does not exist" or the client-side reason. */
    public static String describe(SdkException e) {
        if (e instanceof AwsServiceException s) {
            AwsErrorDetails d = s.awsErrorDetails();
            String code = d == null || d.errorCode() == null ? "HTTP" : d.errorCode();
            String message = d == null || d.errorMessage() == null ? "" : ": " + d.errorMessage();
            return code + " (" + s.statusCode() + ")" + message;
        }
        return e.getMessage();
    }
}
