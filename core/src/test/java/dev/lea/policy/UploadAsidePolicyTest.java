package dev.lea.policy;

class UploadAsidePolicyTest extends FailurePolicyContractTest {

  @Override
  FailurePolicy policy() {
    return new UploadAsidePolicy();
  }
}
