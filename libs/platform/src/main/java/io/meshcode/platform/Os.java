package io.meshcode.platform;

import java.util.Locale;

/** The operating systems MeshCode tells apart, read from {@code os.name}. */
public enum Os {
  LINUX, MAC, WINDOWS, OTHER;

  /** The system named by an {@code os.name} value ("Linux", "Mac OS X", "Windows 11", …). */
  public static Os of(String osName) {
    String name = osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("linux")) {
      return LINUX;
    }
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return MAC;
    }
    if (name.startsWith("windows")) {
      return WINDOWS;
    }
    return OTHER;
  }

  /** This JVM's system. */
  public static Os current() {
    return of(System.getProperty("os.name", ""));
  }
}
