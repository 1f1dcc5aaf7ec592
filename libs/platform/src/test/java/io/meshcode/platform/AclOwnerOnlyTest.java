package io.meshcode.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Windows way, run here (Linux has no ACL view) against an {@link AclFileAttributeView} that
 * records what it is asked: Windows itself is built for, not run.
 */
class AclOwnerOnlyTest {

  private static final UserPrincipal ALICE = new Principal("PC\\alice");
  private static final UserPrincipal USERS = new Principal("BUILTIN\\Users");
  private static final UserPrincipal EVERYONE = new Principal("Everyone");

  @Test
  @DisplayName("a private file's ACL is one entry: its owner may do everything, nobody else anything")
  void fileAcl() {
    assertThat(AclOwnerOnly.ownerOnly(ALICE, false)).containsExactly(AclEntry.newBuilder()
        .setType(AclEntryType.ALLOW).setPrincipal(ALICE).setPermissions(EnumSet.allOf(AclEntryPermission.class)).build());
  }

  @Test
  @DisplayName("a private folder's one entry is inherited by the files and folders made in it")
  void folderAcl() {
    List<AclEntry> acl = AclOwnerOnly.ownerOnly(ALICE, true);
    assertThat(acl).hasSize(1);
    assertThat(acl.get(0).principal()).isEqualTo(ALICE);
    assertThat(acl.get(0).flags()).containsExactlyInAnyOrder(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT);
  }

  @Test
  @DisplayName("restricting replaces the entries inherited from the parent (Users, Everyone) with the owner's alone")
  void restrictReplaces() throws Exception {
    RecordingView view = new RecordingView(ALICE, List.of(
        entry(AclEntryType.ALLOW, ALICE, AclEntryPermission.values()),
        entry(AclEntryType.ALLOW, USERS, AclEntryPermission.READ_DATA, AclEntryPermission.WRITE_DATA),
        entry(AclEntryType.ALLOW, EVERYONE, AclEntryPermission.READ_DATA)));

    AclOwnerOnly.restrict(view, false);

    assertThat(view.written).containsExactly(AclOwnerOnly.ownerOnly(ALICE, false));
    assertThat(AclOwnerOnly.grantsWritesToOthers(view.acl, ALICE)).isFalse();
  }

  @Test
  @DisplayName("an ACL that is already private is left alone: nothing is written")
  void restrictIsIdempotent() throws Exception {
    RecordingView view = new RecordingView(ALICE, AclOwnerOnly.ownerOnly(ALICE, true));
    AclOwnerOnly.restrict(view, true);
    assertThat(view.written).isEmpty();
  }

  @Test
  @DisplayName("writable by others: any allow entry that lets another principal write, delete or change the ACL")
  void writesByOthers() {
    assertThat(AclOwnerOnly.grantsWritesToOthers(List.of(entry(AclEntryType.ALLOW, ALICE, AclEntryPermission.values())), ALICE))
        .as("the owner alone").isFalse();
    assertThat(AclOwnerOnly.grantsWritesToOthers(List.of(
        entry(AclEntryType.ALLOW, USERS, AclEntryPermission.READ_DATA, AclEntryPermission.EXECUTE)), ALICE))
        .as("others may only read and run").isFalse();
    assertThat(AclOwnerOnly.grantsWritesToOthers(List.of(entry(AclEntryType.DENY, EVERYONE, AclEntryPermission.WRITE_DATA)), ALICE))
        .as("a deny entry grants nothing").isFalse();
    for (AclEntryPermission write : AclOwnerOnly.WRITES) {
      assertThat(AclOwnerOnly.grantsWritesToOthers(List.of(entry(AclEntryType.ALLOW, USERS, write)), ALICE))
          .as(write.name()).isTrue();
    }
  }

  @Test
  @DisplayName("the creation attribute is the owner-only ACL of the user this process runs as, under the name Windows reads")
  void creationAttribute() {
    AclOwnerOnly way = new AclOwnerOnly(() -> ALICE);
    assertThat(way.attribute(false, false).name()).isEqualTo("acl:acl");
    assertThat(way.attribute(false, true).value()).isEqualTo(AclOwnerOnly.ownerOnly(ALICE, false));
    assertThat(way.attribute(true, false).value()).isEqualTo(AclOwnerOnly.ownerOnly(ALICE, true));
  }

  private static AclEntry entry(AclEntryType type, UserPrincipal who, AclEntryPermission... permissions) {
    return AclEntry.newBuilder().setType(type).setPrincipal(who).setPermissions(Set.of(permissions)).build();
  }

  private record Principal(String getName) implements UserPrincipal {
  }

  private static final class RecordingView implements AclFileAttributeView {
    private final UserPrincipal owner;
    private List<AclEntry> acl;
    final List<List<AclEntry>> written = new ArrayList<>();

    RecordingView(UserPrincipal owner, List<AclEntry> acl) {
      this.owner = owner;
      this.acl = acl;
    }

    @Override
    public String name() {
      return "acl";
    }

    @Override
    public List<AclEntry> getAcl() {
      return acl;
    }

    @Override
    public void setAcl(List<AclEntry> acl) {
      written.add(acl);
      this.acl = acl;
    }

    @Override
    public UserPrincipal getOwner() {
      return owner;
    }

    @Override
    public void setOwner(UserPrincipal owner) {
      throw new AssertionError("the owner is never changed");
    }
  }
}
