package io.meshcode.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Linux, macOS: folders 0700, files 0600 (0700 when their owner may run them). */
final class PosixOwnerOnly implements OwnerOnly {

  static final PosixOwnerOnly INSTANCE = new PosixOwnerOnly();

  static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  /** Bits that let another user change a file or a folder's entries. */
  private static final Set<PosixFilePermission> WRITE_BY_OTHERS =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private PosixOwnerOnly() {
  }

  @Override
  public FileAttribute<?> attribute(boolean directory, boolean executable) {
    return PosixFilePermissions.asFileAttribute(directory || executable ? OWNER_DIR : OWNER_FILE);
  }

  @Override
  public void created(Path path, boolean directory) {
    // Created with its mode: nothing to add.
  }

  @Override
  public void restrict(Path path, boolean directory) throws IOException {
    Set<PosixFilePermission> current = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> wanted = directory || current.contains(PosixFilePermission.OWNER_EXECUTE) ? OWNER_DIR : OWNER_FILE;
    if (!current.equals(wanted)) {
      Files.setPosixFilePermissions(path, wanted);
    }
  }

  @Override
  public boolean writableByOthers(Path path) throws IOException {
    return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).stream().anyMatch(WRITE_BY_OTHERS::contains);
  }

  @Override
  public boolean ownedByCurrentUser(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) == CurrentUser.uid();
  }
}
