package dev.lea.store.s3;

import dev.lea.config.LeaConfig;
import dev.lea.config.Setting;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStoreProvider;
import java.util.List;
import java.util.Set;

/**
 * Opens {@code s3://} and {@code r2://} buckets. Endpoint, region and path style come from
 * {@code lea.s3.*} ({@code LEA_S3_*}), R2's endpoint from {@code LEA_R2_ACCOUNT_ID}; credentials
 * from the AWS SDK's default chain (for R2: an R2 API token's access key pair). Part size,
 * single-PUT limit and parallelism come from {@code lea.s3.*}, deadlines from
 * {@code lea.store.*}.
 */
public final class S3ObjectStoreProvider implements ObjectStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("s3", "r2");
  }

  @Override
  public ObjectStore open(Location location, LeaConfig config) {
    S3ClientSettings settings = S3ClientSettings.resolve(location, config);
    return new S3ObjectStore(location.scheme(), location.bucket(), settings.newClient(),
        UploadTuning.from(location, config));
  }

  @Override
  public List<Setting> settings() {
    return S3Settings.ALL;
  }
}
