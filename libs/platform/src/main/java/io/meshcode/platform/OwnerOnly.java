package io.meshcode.platform;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;

/**
 * How one kind of file system makes a file or a folder its owner's alone: POSIX modes (0700,
 * 0600) on Linux and macOS, a user-only ACL on Windows, where modes mean nothing.
 */
interface OwnerOnly {

  /** The attribute that creates a folder, or a file ({@code executable}: one its owner may run), owner-only from birth. */
  FileAttribute<?> attribute(boolean directory, boolean executable);

  /**
   * Finishes a file or folder just created with {@link #attribute}: nothing where the attribute is
   * the whole story (POSIX), the ACL set again where the system added the parent's inheritable
   * entries to it (Windows).
   */
  void created(Path path, boolean directory) throws IOException;

  /** Makes an existing file or folder owner-only (a file its owner may run stays runnable); leaves one that is alone. */
  void restrict(Path path, boolean directory) throws IOException;

  /** Whether a user other than the owner may change {@code path} (a file's bytes, a folder's entries). */
  boolean writableByOthers(Path path) throws IOException;

  /** Whether {@code path} belongs to the user this process runs as. */
  boolean ownedByCurrentUser(Path path) throws IOException;

  /**
   * The way of {@code fileSystem}: POSIX modes where it has them, else ACLs.
   *
   * @throws UnsupportedOperationException where it has neither (no file there can be kept private)
   */
  static OwnerOnly of(FileSystem fileSystem) {
    if (fileSystem.supportedFileAttributeViews().contains("posix")) {
      return PosixOwnerOnly.INSTANCE;
    }
    if (fileSystem.supportedFileAttributeViews().contains("acl")) {
      return new AclOwnerOnly(CurrentUser::principal);
    }
    throw new UnsupportedOperationException("this file system has neither POSIX permissions nor ACLs,"
        + " so no file on it can be kept readable by its owner only");
  }
}
