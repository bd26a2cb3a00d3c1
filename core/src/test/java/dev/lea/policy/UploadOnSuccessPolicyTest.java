package dev.lea.policy;

class UploadOnSuccessPolicyTest extends FailurePolicyContractTest {

  @Override
  FailurePolicy policy() {
    return new UploadOnSuccessPolicy();
  }
}
