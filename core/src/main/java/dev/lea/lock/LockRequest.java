package dev.lea.lock;

import dev.lea.config.LeaConfig;
import dev.lea.spi.Reporter;
import dev.lea.store.ObjectStore;

/**
 * What a strategy needs to take a lock: the store and catalog key, the operation for the lock
 * body ({@code run}, {@code unlock}), the run's unique id, the configuration ({@code lea.lock.ttl},
 * {@code lea.lock.wait}) and where to report waiting and warnings.
 */
public record LockRequest(
    ObjectStore store,
    String catalogKey,
    String operation,
    String runId,
    LeaConfig config,
    Reporter reporter) {}
