package io.meshcode.cli.editor;

import io.meshcode.cli.CliException;
import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config files the CLI shares with editors: read, changed in place, written whole; never clobbered.
 * A file that is not a JSON object (invalid, a repeated key, too deep, too large) is refused with
 * one sentence and left as it was. What is written keeps the file's keys in their order, its
 * numbers as written, its indentation (tabs or so many spaces), line ends, byte-order mark and
 * final newline, its permissions, and a symbolic link stays a link to the file it names.
 */
final class JsonFiles {

  /** Far larger than any editor's config: a larger file is not one, and is not read whole. */
  static final long MAX_BYTES = 4L * 1024 * 1024;

  private static final Pattern FIRST_INDENT = Pattern.compile("\\n([ \\t]+)\\S");
  private static final String BOM = "\uFEFF";

  private JsonFiles() {}

  /** How a file is laid out, to write it back the same way; new files get two spaces and \n. */
  private record Layout(boolean exists, String bom, String indent, String lineEnd, boolean finalNewline) {

    static final Layout NEW = new Layout(false, "", "  ", "\n", true);

    static Layout of(String text) {
      Matcher indent = FIRST_INDENT.matcher(text);
      String unit = !indent.find() ? "  " : indent.group(1).startsWith("\t") ? "\t" : indent.group(1).replace("\t", "");
      return new Layout(true, text.startsWith(BOM) ? BOM : "", unit.isEmpty() ? "  " : unit,
          text.contains("\r\n") ? "\r\n" : "\n", text.isBlank() || text.endsWith("\n"));
    }

    String render(JsonMap json) {
      return bom + Json.pretty(json, indent, lineEnd) + (finalNewline ? lineEnd : "");
    }
  }

  private record Loaded(JsonMap json, Layout layout) {}

  /** The file's object, or an empty one when the file does not exist (or is empty). */
  static JsonMap read(Path file) {
    return load(file, "cannot use ").json();
  }

  /**
   * Changes the object in {@code file} with {@code change} and writes it back, keeping every
   * other field. With {@code backup}, the file as it was is copied beside it first.
   *
   * @return whether the file changed
   */
  static boolean update(Path file, boolean backup, Consumer<JsonMap> change) {
    Loaded loaded = load(file, "cannot update ");
    Layout layout = loaded.layout();
    String before = layout.exists() ? layout.render(loaded.json()) : null;
    change.accept(loaded.json());
    String after = layout.render(loaded.json());
    if (after.equals(before)) {
      return false;
    }
    try {
      // The file a link names is changed, and the link kept.
      Path target = Files.isSymbolicLink(file) && layout.exists() ? file.toRealPath() : file;
      Files.createDirectories(target.getParent());
      if (backup && layout.exists()) {
        Files.copy(target, file.resolveSibling(file.getFileName() + ".meshcode-backup"), StandardCopyOption.REPLACE_EXISTING);
      }
      Path temp = target.resolveSibling(target.getFileName() + ".meshcode-tmp");
      Files.deleteIfExists(temp);
      if (layout.exists() && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        // Created with the file's own permissions: a config holding other servers' keys stays private.
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(permissions));
        Files.setPosixFilePermissions(temp, permissions); // as they were, whatever the umask takes away
      }
      Files.writeString(temp, after);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException e) {
      throw CliException.failure("cannot write " + file + ": " + e.getMessage() + "; check that folder's permissions and free space");
    }
  }

  private static Loaded load(Path file, String cannot) {
    if (!Files.exists(file)) {
      return new Loaded(new JsonMap(), Layout.NEW);
    }
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw CliException.failure(cannot + file + ": it is larger than " + MAX_BYTES / (1024 * 1024)
            + " MB, which no editor's config is; fix or move it, then run this again");
      }
      text = Files.readString(file);
    } catch (CharacterCodingException e) {
      throw CliException.failure(cannot + file + ": it is not UTF-8 text; fix or move it, then run this again");
    } catch (IOException e) {
      throw CliException.failure("cannot read " + file + ": " + e.getMessage() + "; check its permissions");
    }
    Layout layout = Layout.of(text);
    String json = text.substring(layout.bom().length());
    if (json.isBlank()) {
      return new Loaded(new JsonMap(), layout);
    }
    Object value;
    try {
      value = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw CliException.failure(cannot + file + ": it is not valid JSON (" + e.getMessage() + "); fix or move it, then run this again");
    }
    if (value instanceof JsonMap map) {
      return new Loaded(map, layout);
    }
    throw CliException.failure(cannot + file + ": it holds " + Json.kind(value) + " where a JSON object belongs; fix or move it, then run this again");
  }
}
