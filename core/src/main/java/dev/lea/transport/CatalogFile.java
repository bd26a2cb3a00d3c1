package dev.lea.transport;

/**
 * What is known of a local catalog file before upload: its SHA-256 (lower-case hex), size and
 * format ({@code sqlite}, {@code duckdb}, or {@code duckdb-warehouse}).
 */
public record CatalogFile(String sha256, long size, String format) {}
