package dev.lea.transport;

/**
 * What is known of a local catalog file before upload: its SHA-256 (lower-case hex), size and
 * format ({@code sqlite}, {@code duckdb}, or {@code duckdb-warehouse}). {@code sha256} may be null
 * for {@code object-copy} to a store with {@link dev.lea.store.Capability#CRC32C}: the store's
 * checksum, computed as the bytes arrive, then stands in for a separate pass over the file.
 */
public record CatalogFile(String sha256, long size, String format) {}
