package dev.lea.store.gcs;

import dev.lea.config.Setting;
import java.util.List;

/** The settings of {@code gs://} stores, contributed to the resolver. */
public final class GcsSettings {

  private GcsSettings() {}

  public static final String GCS_ENDPOINT = "lea.gcs.endpoint";
  public static final String GCS_PROJECT = "lea.gcs.project";

  static final List<Setting> ALL = List.of(
      new Setting(GCS_ENDPOINT, null, Setting.Type.STRING, List.of(), false,
          "GCS endpoint override, for emulators."),
      new Setting(GCS_PROJECT, null, Setting.Type.STRING, List.of(), false, "GCS project id."));
}
