package dev.outflow.sink.storage.s3;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Reading S3 error responses. */
final class S3Errors {
    private S3Errors() {
    }

    /** The S3 error code ("NoSuchUpload", "SlowDown" ...), or "" when the response had none (e.g. a HEAD). */
    static String code(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code == null ? "" : code;
    }

    /** What to change for the permanent errors users meet most, as a sentence to append, or "". */
    static String hint(Throwable e) {
        if (!(e instanceof AwsServiceException s)) {
            return "";
        }
        return switch (code(s)) {
            case "NoSuchBucket" -> ". Create the bucket or fix s3.bucket.name";
            case "AccessDenied", "AllAccessDisabled" -> ". Allow the connector's credentials s3:ListBucket, "
                    + "s3:ListBucketMultipartUploads, s3:GetObject, s3:PutObject and s3:AbortMultipartUpload "
                    + "on the bucket (and kms:GenerateDataKey, kms:Decrypt for SSE-KMS)";
            case "InvalidAccessKeyId" -> ". Fix aws.access.key.id";
            case "SignatureDoesNotMatch" -> ". Fix aws.secret.access.key";
            case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException" ->
                    ". Set s3.region to the bucket's region";
            case "NoSuchUpload" -> ". The upload was aborted, most likely by a newer task that took over this "
                    + "partition";
            default -> "";
        };
    }

    static boolean is(Throwable e, String code) {
        return e instanceof AwsServiceException s && code.equals(code(s));
    }
}
