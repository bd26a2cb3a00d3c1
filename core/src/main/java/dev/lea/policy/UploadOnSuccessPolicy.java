package dev.lea.policy;

/** Leaves the remote catalog as it was; the failed catalog stays on local disk. */
final class UploadOnSuccessPolicy implements FailurePolicy {

  @Override
  public String name() {
    return "upload-on-success";
  }

  @Override
  public Disposition onFailure(FailureContext context) {
    return Disposition.local();
  }
}
