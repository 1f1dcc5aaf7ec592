package io.meshcode.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Windows: 0600 has no meaning there, so a private file or folder gets an ACL with one entry,
 * its owner's, allowing everything; a folder's entry is inherited by what is created in it. The
 * entries inherited from the parent folder (Users, Authenticated Users, …) are replaced.
 */
final class AclOwnerOnly implements OwnerOnly {

  /** What lets a principal change a file's bytes, a folder's entries, or who may do either. */
  static final Set<AclEntryPermission> WRITES = EnumSet.of(AclEntryPermission.WRITE_DATA, AclEntryPermission.APPEND_DATA,
      AclEntryPermission.WRITE_ATTRIBUTES, AclEntryPermission.WRITE_NAMED_ATTRS, AclEntryPermission.DELETE,
      AclEntryPermission.DELETE_CHILD, AclEntryPermission.WRITE_ACL, AclEntryPermission.WRITE_OWNER);

  private final Supplier<UserPrincipal> currentUser;

  AclOwnerOnly(Supplier<UserPrincipal> currentUser) {
    this.currentUser = currentUser;
  }

  /** The whole ACL of a private file or folder of {@code owner}. */
  static List<AclEntry> ownerOnly(UserPrincipal owner, boolean directory) {
    AclEntry.Builder entry = AclEntry.newBuilder()
        .setType(AclEntryType.ALLOW)
        .setPrincipal(owner)
        .setPermissions(EnumSet.allOf(AclEntryPermission.class));
    if (directory) {
      entry.setFlags(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT);
    }
    return List.of(entry.build());
  }

  /** Whether {@code acl} lets anyone but {@code owner} change what it guards. */
  static boolean grantsWritesToOthers(List<AclEntry> acl, UserPrincipal owner) {
    return acl.stream().anyMatch(entry -> entry.type() == AclEntryType.ALLOW
        && !entry.principal().equals(owner)
        && entry.permissions().stream().anyMatch(WRITES::contains));
  }

  @Override
  public FileAttribute<?> attribute(boolean directory, boolean executable) {
    List<AclEntry> acl = ownerOnly(currentUser.get(), directory);
    return new FileAttribute<List<AclEntry>>() {
      @Override
      public String name() {
        return "acl:acl";
      }

      @Override
      public List<AclEntry> value() {
        return acl;
      }
    };
  }

  /** Windows adds the parent folder's inheritable entries to a new file's ACL: set it again, alone. */
  @Override
  public void created(Path path, boolean directory) throws IOException {
    restrict(path, directory);
  }

  @Override
  public void restrict(Path path, boolean directory) throws IOException {
    restrict(view(path), directory);
  }

  static void restrict(AclFileAttributeView view, boolean directory) throws IOException {
    List<AclEntry> wanted = ownerOnly(view.getOwner(), directory);
    if (!view.getAcl().equals(wanted)) {
      view.setAcl(wanted);
    }
  }

  @Override
  public boolean writableByOthers(Path path) throws IOException {
    AclFileAttributeView view = view(path);
    return grantsWritesToOthers(view.getAcl(), view.getOwner());
  }

  @Override
  public boolean ownedByCurrentUser(Path path) throws IOException {
    return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).equals(currentUser.get());
  }

  private static AclFileAttributeView view(Path path) throws IOException {
    AclFileAttributeView view = Files.getFileAttributeView(path, AclFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      throw new IOException(path + " has no access control list to make private");
    }
    return view;
  }
}
