package io.meshcode.cli.editor;

import io.meshcode.cli.CliException;
import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/** Config files the CLI shares with editors: read, changed in place, written whole; never clobbered. */
final class JsonFiles {

  private JsonFiles() {}

  /** The file's object, or an empty one when the file does not exist (or is empty). */
  static JsonMap read(Path file) {
    if (!Files.exists(file)) {
      return new JsonMap();
    }
    try {
      String text = Files.readString(file);
      return text.isBlank() ? new JsonMap() : Json.parseObject(text);
    } catch (IOException e) {
      throw CliException.failure("cannot read " + file + ": " + e.getMessage() + "; check its permissions");
    } catch (IllegalArgumentException e) {
      throw CliException.failure("cannot update " + file + ": " + e.getMessage() + "; fix or move it, then run this again");
    }
  }

  /**
   * Changes the object in {@code file} with {@code change} and writes it back, keeping every
   * other field. With {@code backup}, the file as it was is copied beside it first.
   *
   * @return whether the file changed
   */
  static boolean update(Path file, boolean backup, Consumer<JsonMap> change) {
    JsonMap json = read(file);
    String before = Files.exists(file) ? Json.pretty(json) : null;
    change.accept(json);
    String after = Json.pretty(json);
    if (after.equals(before)) {
      return false;
    }
    try {
      Files.createDirectories(file.getParent());
      if (backup && Files.exists(file)) {
        Files.copy(file, file.resolveSibling(file.getFileName() + ".meshcode-backup"), StandardCopyOption.REPLACE_EXISTING);
      }
      Path temp = file.resolveSibling(file.getFileName() + ".meshcode-tmp");
      Files.writeString(temp, after + "\n");
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException e) {
      throw CliException.failure("cannot write " + file + ": " + e.getMessage() + "; check that folder's permissions and free space");
    }
  }
}
