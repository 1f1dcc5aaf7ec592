package io.meshcode.core.config;

/** A configuration value is missing or malformed; the message names the variable and what was expected. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String variable, String expected, String actual) {
    super(variable + ": expected " + expected + (actual == null ? "" : ", got '" + actual + "'"));
  }

  public ConfigException(String message) {
    super(message);
  }
}
