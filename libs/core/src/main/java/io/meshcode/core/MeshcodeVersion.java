package io.meshcode.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the running MeshCode build, as Maven stamped it. */
public final class MeshcodeVersion {

  private static final String VERSION = load();

  private MeshcodeVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = MeshcodeVersion.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
