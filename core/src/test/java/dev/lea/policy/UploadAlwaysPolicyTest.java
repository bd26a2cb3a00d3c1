package dev.lea.policy;

class UploadAlwaysPolicyTest extends FailurePolicyContractTest {

  @Override
  FailurePolicy policy() {
    return new UploadAlwaysPolicy();
  }
}
