package io.meshcode.images;

import io.meshcode.gateway.GatewaySettings;
import java.nio.file.Path;
import java.util.List;

/** One service's image as this module builds it, and what the service says it should hold. */
record ServiceImage(String name, int port) {

  /** The services and their default ports, from their own code (each image exposes that port). */
  static final List<ServiceImage> ALL = List.of(
      new ServiceImage("gateway", GatewaySettings.DEFAULT_PORT),
      new ServiceImage("bus", io.meshcode.bus.Main.DEFAULT_PORT),
      new ServiceImage("memory", io.meshcode.memory.Main.DEFAULT_PORT),
      new ServiceImage("tasks", io.meshcode.tasks.Main.DEFAULT_PORT),
      new ServiceImage("invites", io.meshcode.invites.Main.DEFAULT_PORT));

  /** The folder the images were built into: the module's target/. */
  static Path imagesDir() {
    String dir = System.getProperty("meshcode.images.dir");
    if (dir == null) {
      throw new IllegalStateException("meshcode.images.dir is not set: run the image tests through Maven (./mvnw -pl infra/images -am verify)");
    }
    return Path.of(dir);
  }

  /** How a parameterized test names it. */
  @Override
  public String toString() {
    return name;
  }

  Path tarball() {
    return imagesDir().resolve("meshcode-" + name + ".tar");
  }

  String jarName() {
    return "meshcode-" + name + ".jar";
  }

  /** The runnable jar the service module built, which the image must hold byte for byte. */
  Path builtJar() {
    return imagesDir().resolve("../../../services").resolve(name).resolve("target").resolve(jarName()).normalize();
  }

  String mainClass() {
    return "io.meshcode." + name + ".Main";
  }

  String repository() {
    return "meshcode/" + name;
  }
}
