package dev.lea.config;

import java.util.List;

/**
 * Settings a plugged-in jar brings, such as a store's endpoint and region, so they are resolved,
 * validated and listed ({@code lea:status}, {@code docs/configuration.md}) like the built-in ones
 * of {@link LeaSettings}. Found through {@link java.util.ServiceLoader}: a jar lists its
 * implementation in {@code META-INF/services/dev.lea.config.SettingsContributor}.
 */
public interface SettingsContributor {

  /** The settings, in documentation order; their property names start with {@code lea.}. */
  List<Setting> settings();
}
