package io.meshcode.images;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An image as {@code docker save} and jib's {@code buildTar} write it: {@code manifest.json}
 * naming one image's config and its layers, each a (possibly gzipped) tar. Reads the config,
 * lists and reads the layers, and lays the layers out into a root file system.
 */
final class ImageTarball {

  /** One file, folder or link of a layer; {@code path} has no leading slash. */
  record Entry(String path, int mode, long uid, long gid, long size, boolean directory, boolean symbolicLink, String linkName) {}

  /** Receives a layer's regular files with their content. */
  @FunctionalInterface
  interface FileReader {
    void read(Entry entry, InputStream content) throws IOException;
  }

  private static final int MAX_LINK_HOPS = 40;

  private final Path tarball;
  private final List<String> repoTags;
  private final List<String> layers;
  private final JsonObject config;

  private ImageTarball(Path tarball, List<String> repoTags, List<String> layers, JsonObject config) {
    this.tarball = tarball;
    this.repoTags = repoTags;
    this.layers = layers;
    this.config = config;
  }

  static ImageTarball open(Path tarball) throws IOException {
    if (!Files.isRegularFile(tarball)) {
      throw new IOException(tarball + " does not exist: build the images first (./mvnw -pl infra/images -am package)");
    }
    try (TarFile tar = new TarFile(tarball)) {
      JsonArray manifest = new JsonArray(text(tar, "manifest.json"));
      if (manifest.size() != 1) {
        throw new IOException(tarball + ": expected one image in manifest.json, found " + manifest.size());
      }
      JsonObject image = manifest.getJsonObject(0);
      List<String> tags = image.getJsonArray("RepoTags", new JsonArray()).stream().map(String.class::cast).toList();
      List<String> layers = image.getJsonArray("Layers").stream().map(String.class::cast).toList();
      return new ImageTarball(tarball, tags, layers, new JsonObject(text(tar, image.getString("Config"))));
    }
  }

  List<String> repoTags() {
    return repoTags;
  }

  /** The layers' file names in the tarball, base first; jib names them by digest. */
  List<String> layers() {
    return layers;
  }

  /** The whole image config: architecture, os, config, rootfs, history. */
  JsonObject config() {
    return config;
  }

  /** What a runtime starts the container with: Entrypoint, Cmd, Env, User, ExposedPorts, Labels. */
  JsonObject runConfig() {
    return config.getJsonObject("config");
  }

  /** Every entry of one layer, in order. */
  List<Entry> entries(int layer) throws IOException {
    List<Entry> entries = new ArrayList<>();
    readLayer(layer, (entry, content) -> {}, entries);
    return entries;
  }

  /** Streams the regular files of one layer to {@code reader}. */
  void readFiles(int layer, FileReader reader) throws IOException {
    readLayer(layer, reader, new ArrayList<>());
  }

  /**
   * Lays every layer out into {@code root} in order, as a container runtime does: whiteouts delete
   * what a lower layer had, and no entry or link reaches outside {@code root}. Owners are not kept
   * (the caller is not necessarily root); permissions are, apart from setuid, setgid and sticky bits.
   */
  void extractTo(Path root) throws IOException {
    Files.createDirectories(root);
    Path realRoot = root.toRealPath();
    for (int layer = 0; layer < layers.size(); layer++) {
      try (TarFile tar = new TarFile(tarball);
           TarArchiveInputStream in = layerStream(tar, layer)) {
        TarArchiveEntry tarEntry;
        while ((tarEntry = in.getNextEntry()) != null) {
          extract(realRoot, tarEntry, in);
        }
      }
    }
  }

  private void readLayer(int layer, FileReader reader, List<Entry> entries) throws IOException {
    try (TarFile tar = new TarFile(tarball);
         TarArchiveInputStream in = layerStream(tar, layer)) {
      TarArchiveEntry tarEntry;
      while ((tarEntry = in.getNextEntry()) != null) {
        Entry entry = new Entry(relative(tarEntry.getName()), tarEntry.getMode(), tarEntry.getLongUserId(), tarEntry.getLongGroupId(),
            tarEntry.getSize(), tarEntry.isDirectory(), tarEntry.isSymbolicLink(), tarEntry.getLinkName());
        entries.add(entry);
        if (tarEntry.isFile()) {
          reader.read(entry, in);
        }
      }
    }
  }

  private TarArchiveInputStream layerStream(TarFile tar, int layer) throws IOException {
    String name = layers.get(layer);
    TarArchiveEntry entry = tar.getEntries().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new IOException(tarball + " lacks the layer " + name + " its manifest names"));
    InputStream raw = new BufferedInputStream(tar.getInputStream(entry));
    raw.mark(2);
    boolean gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
    raw.reset();
    return new TarArchiveInputStream(gzipped ? new GZIPInputStream(raw, 64 * 1024) : raw);
  }

  private static void extract(Path root, TarArchiveEntry entry, InputStream content) throws IOException {
    String path = relative(entry.getName());
    if (path.isEmpty()) {
      return;
    }
    Path parent = resolveInside(root, Path.of(path).getParent());
    Files.createDirectories(parent);
    String name = Path.of(path).getFileName().toString();
    if (name.equals(".wh..wh..opq")) {
      try (Stream<Path> lower = Files.list(parent)) {
        for (Path file : lower.toList()) {
          deleteTree(file);
        }
      }
      return;
    }
    if (name.startsWith(".wh.")) {
      deleteTree(parent.resolve(name.substring(4)));
      return;
    }
    Path target = parent.resolve(name);
    if (entry.isDirectory()) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(target);
        Files.createDirectory(target);
      }
      Files.setPosixFilePermissions(target, permissions(entry.getMode()));
      return;
    }
    deleteTree(target);
    if (entry.isSymbolicLink()) {
      Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
    } else if (entry.isLink()) {
      Files.createLink(target, resolveInside(root, Path.of(relative(entry.getLinkName()))));
    } else if (entry.isFile()) {
      Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(target, permissions(entry.getMode()));
    }
    // Devices and pipes have no place in these images, and an unprivileged run could not make them.
  }

  /**
   * {@code relative} inside {@code root}, following the symbolic links already laid out as the
   * container would see them: an absolute link is taken from {@code root}, and {@code ..} stops
   * at it.
   */
  private static Path resolveInside(Path root, Path relative) throws IOException {
    Path resolved = root;
    if (relative == null) {
      return resolved;
    }
    List<String> pending = new ArrayList<>();
    relative.forEach(part -> pending.add(part.toString()));
    int hops = 0;
    while (!pending.isEmpty()) {
      String part = pending.remove(0);
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        resolved = resolved.equals(root) ? root : resolved.getParent();
        continue;
      }
      Path next = resolved.resolve(part);
      if (Files.isSymbolicLink(next)) {
        if (++hops > MAX_LINK_HOPS) {
          throw new IOException("too many symbolic links under " + root + " resolving " + relative);
        }
        Path link = Files.readSymbolicLink(next);
        List<String> parts = new ArrayList<>();
        link.forEach(p -> parts.add(p.toString()));
        pending.addAll(0, parts);
        if (link.isAbsolute()) {
          resolved = root;
        }
        continue;
      }
      resolved = next;
    }
    return resolved;
  }

  private static String relative(String name) {
    String path = name;
    while (path.startsWith("./") || path.startsWith("/")) {
      path = path.substring(path.startsWith("./") ? 2 : 1);
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, high bit first
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << (bits.length - 1 - i))) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> tree = Files.walk(path)) {
        for (Path file : tree.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    } else {
      Files.delete(path);
    }
  }

  private static String text(TarFile tar, String name) throws IOException {
    TarArchiveEntry entry = tar.getEntries().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new IOException("no " + name + " in the image tarball"));
    try (InputStream in = tar.getInputStream(entry)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
