package io.meshcode.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The classpath of the broker child JVM: the kafka-broker module's classes followed by the
 * jars its build listed. Never this JVM's own classpath, which may hold kafka-clients 3.x.
 */
final class BrokerClasspath {

  static final String JARS_RESOURCE = "META-INF/meshcode/kafka-broker.classpath";
  static final String PROPERTIES_RESOURCE = "META-INF/meshcode/kafka-broker.properties";

  private static final String BUILD_HINT =
      "; build the kafka-broker module first: ./mvnw install -DskipTests -pl libs/kafka-broker -am";

  private BrokerClasspath() {
  }

  static String resolve(ClassLoader loader) {
    URL jarsUrl = loader.getResource(JARS_RESOURCE);
    URL propsUrl = loader.getResource(PROPERTIES_RESOURCE);
    if (jarsUrl == null || propsUrl == null) {
      throw new IllegalStateException("Kafka broker classpath resources (" + JARS_RESOURCE + ", "
          + PROPERTIES_RESOURCE + ") are not on the classpath" + BUILD_HINT);
    }
    List<String> entries = new ArrayList<>();
    entries.add(brokerClasses(propsUrl));
    for (String jar : read(jarsUrl).trim().split(File.pathSeparator)) {
      if (jar.isBlank()) {
        continue;
      }
      if (!Files.isRegularFile(Path.of(jar))) {
        throw new IllegalStateException("Kafka broker jar " + jar + " is missing" + BUILD_HINT);
      }
      entries.add(jar);
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * The module's classes directory as recorded at build time; failing that, the
   * meshcode-kafka-broker jar the resource came from (but never a shaded jar).
   */
  private static String brokerClasses(URL propsUrl) {
    Properties props = new Properties();
    try (InputStream in = propsUrl.openStream()) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + propsUrl, e);
    }
    String classes = props.getProperty("classes", "");
    if (!classes.isBlank() && Files.isDirectory(Path.of(classes))) {
      return classes;
    }
    Path jar = sourceJar(propsUrl);
    if (jar != null && jar.getFileName().toString().startsWith("meshcode-kafka-broker")) {
      return jar.toString();
    }
    throw new IllegalStateException("Kafka broker classes directory '" + classes + "' does not exist" + BUILD_HINT);
  }

  private static Path sourceJar(URL url) {
    if (!"jar".equals(url.getProtocol())) {
      return null;
    }
    try {
      URL jarUrl = ((JarURLConnection) url.openConnection()).getJarFileURL();
      return Path.of(jarUrl.toURI());
    } catch (IOException | URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String read(URL url) {
    try (InputStream in = url.openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + url, e);
    }
  }
}
