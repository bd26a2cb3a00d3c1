/**
 * lea-java's front door: {@link dev.lea.Lea} runs a project, shows its status, breaks a lock,
 * collects garbage and benchmarks transports; the Maven goals call exactly these.
 *
 * <h2>Layers</h2>
 *
 * <p>Each package uses only the packages below it; packages on one line do not use each other.
 * {@code ArchitectureTest} checks this.
 *
 * <ol>
 *   <li>{@code dev.lea.spi}: what every layer and every implementation shares:
 *       {@code LeaException}, {@code Reporter}, {@code Named}.
 *   <li>{@code dev.lea.internal}: low-level helpers several layers use ({@code Providers}, the
 *       lookup of built-ins and {@link java.util.ServiceLoader} implementations by name; owner-only
 *       local files and SHA-256, SQL quoting, edit distance, background tasks,
 *       library logging).
 *       Public only so that core's packages can share them; not API, and the plugin and the store
 *       jars must not use them ({@code PluginArchitectureTest}).
 *   <li>{@code dev.lea.config}: settings, their resolution and validation ({@code LeaConfig}).
 *   <li>{@code dev.lea.store}: the {@code ObjectStore} SPI, locations, the {@code file:} store.
 *   <li>{@code dev.lea.lock}, {@code dev.lea.transport}, {@code dev.lea.policy}: the
 *       {@code LockStrategy}, {@code CatalogTransport} and {@code FailurePolicy} SPIs and their
 *       built-in implementations. {@code parquet-blob} encodes catalogs in an in-memory DuckDB of
 *       its own through plain JDBC; it needs none of the session's DuckDB setup.
 *   <li>{@code dev.lea.sync}: the catalog session (lock, download, attach, upload or the failure
 *       policy, release), and the DuckDB connections it opens (extensions, secrets, the DuckLake
 *       attach and maintenance), which nothing else in core opens.
 *   <li>{@code dev.lea.runner}: the lea runner (templates, planning, write-audit-publish) and
 *       lea's development environments (the {@code _<username>} copy, {@code lea.dataset}).
 *   <li>{@code dev.lea}: this facade and the scrubbing of secrets.
 * </ol>
 *
 * <p>Above core: the store jars ({@code dev.lea.store.s3}, {@code dev.lea.store.gcs}) use only
 * {@code spi}, {@code config} and {@code store}; the Maven plugin uses only this package,
 * {@code config} and {@code spi}.
 *
 * <h2>Why no module-info</h2>
 *
 * <p>Core is a plain jar on the class path. A Maven plugin runs in a class realm built from
 * class-path entries, never on the module path, so a {@code module-info} would not be enforced
 * where lea-java runs most. Tried: it compiles only by requiring Jinjava as a filename-based
 * automatic module (Jinjava declares no module name; the compiler warns not to publish such a
 * jar) and {@code java.desktop} for Jinjava's {@code java.beans}; and {@code sync} and
 * {@code runner} would stay exported because this facade returns {@code CatalogSession} and
 * {@code RunResult}, so it would hide only {@code internal}. Visibility is kept small instead:
 * types outside the API and the SPIs are package-private, except the shared helpers of
 * {@code internal}; {@code ArchitectureTest} pins the list of public types and keeps the layers,
 * and {@code PluginArchitectureTest} keeps the plugin and the store jars off the rest.
 */
package dev.lea;
