package dev.lea.store.s3;

import dev.lea.config.Setting;
import java.util.List;

/** The settings of {@code s3://} and {@code r2://} stores, contributed to the resolver. */
public final class S3Settings {

  private S3Settings() {}

  public static final String S3_ENDPOINT = "lea.s3.endpoint";
  public static final String S3_REGION = "lea.s3.region";
  public static final String S3_PATH_STYLE = "lea.s3.pathStyle";
  public static final String S3_PATH_STYLE_DEFAULT = "false";
  public static final String R2_ACCOUNT_ID = "lea.r2.accountId";
  public static final String S3_PART_SIZE = "lea.s3.partSize";
  public static final String S3_PART_SIZE_DEFAULT = "8MiB";
  public static final String S3_SINGLE_PUT_LIMIT = "lea.s3.singlePutLimit";
  /**
   * Measured on S3Proxy on loopback (issue 16): one PutObject from the file beat 8 MiB parts, 4 in
   * flight, at 64 MiB (1.5 s against 2.1 s) and at 280 MiB (5.5 s against 7.6 s), as it beat
   * 16 and 32 MiB parts; the SDK floor is one PutObject at every size.
   */
  public static final String S3_SINGLE_PUT_LIMIT_DEFAULT = "512MiB";
  public static final String S3_PARALLELISM = "lea.s3.parallelism";
  public static final String S3_PARALLELISM_DEFAULT = "4";

  static final List<Setting> ALL = List.of(
      string(S3_ENDPOINT, null, "S3 endpoint override for S3-compatible stores."),
      string(S3_REGION, null, "S3 region (default: the SDK's region chain)."),
      new Setting(S3_PATH_STYLE, S3_PATH_STYLE_DEFAULT, Setting.Type.BOOLEAN, List.of(), false,
          "S3 path-style access."),
      string(R2_ACCOUNT_ID, null,
          "Cloudflare account id; r2:// URLs derive their endpoint from it."),
      new Setting(S3_PART_SIZE, S3_PART_SIZE_DEFAULT, Setting.Type.SIZE, List.of(), false,
          "S3 multipart part size (at least 5MiB; raised when an object needs over 10000"
              + " parts)."),
      new Setting(S3_SINGLE_PUT_LIMIT, S3_SINGLE_PUT_LIMIT_DEFAULT, Setting.Type.SIZE, List.of(),
          false, "S3 catalog files up to this size are one PutObject read from the file, with"
              + " the deadlines (lea.store.attemptTimeout, lea.store.requestTimeout) of the parts"
              + " it replaces; larger ones are multipart uploads of lea.s3.parallelism parts at a"
              + " time. Lower it where parallel parts measure faster (a fast link to a real"
              + " endpoint)."),
      new Setting(S3_PARALLELISM, S3_PARALLELISM_DEFAULT, Setting.Type.INTEGER, List.of(), false,
          "S3 parts uploaded at the same time."));

  private static Setting string(String property, String def, String description) {
    return new Setting(property, def, Setting.Type.STRING, List.of(), false, description);
  }
}
