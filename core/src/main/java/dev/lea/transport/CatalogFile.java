package dev.lea.transport;

/**
 * What is known of a local catalog file before upload: its SHA-256 (lower-case hex), size and
 * format ({@code sqlite}, {@code duckdb}, or {@code duckdb-warehouse}). {@code sha256} may be null:
 * each transport then computes what it records as the bytes go by ({@code object-copy} on a store
 * with {@link dev.lea.store.Capability#CRC32C} relies on the store's checksum alone), so a
 * session's commit reads the file once.
 */
public record CatalogFile(String sha256, long size, String format) {}
