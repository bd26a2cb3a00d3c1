package dev.lea.policy;

import java.time.Instant;

/** What a policy knows of the failure: the catalog key, the run id and when it failed. */
public record FailureContext(String catalogKey, String runId, Instant failedAt, Throwable cause) {}
