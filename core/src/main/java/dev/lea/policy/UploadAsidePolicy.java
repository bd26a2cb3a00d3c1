package dev.lea.policy;

/** Uploads to {@code <catalog key>.failed-<timestamp>}, leaving the main catalog untouched. */
final class UploadAsidePolicy implements FailurePolicy {

  @Override
  public String name() {
    return "upload-aside";
  }

  @Override
  public Disposition onFailure(FailureContext context) {
    return Disposition.aside(context.catalogKey() + ".failed-"
        + FailurePolicies.KEY_TIMESTAMP.format(context.failedAt()) + "-" + context.runId());
  }
}
