package io.meshcode.cli;

/** The exit codes of every verb; docs/CLI.md lists them, {@code meshcode --help} too. */
public final class ExitCode {

  public static final int OK = 0;
  /** Anything unexpected: a server error, a file that cannot be written. */
  public static final int FAILURE = 1;
  /** A bad verb, option or argument (an unknown verb among them). */
  public static final int USAGE = 2;
  /** No key stored, or the server refused it: {@code meshcode login}. */
  public static final int NOT_LOGGED_IN = 3;
  /** The key may not do this: an owner-only action, a spectator link asked to act. */
  public static final int NO_ACCESS = 4;
  /** No such project, agent, invite or member. */
  public static final int NOT_FOUND = 5;
  /** The agent already runs in another window, or something already exists, was used or expired. */
  public static final int CONFLICT = 6;
  /** The server did not answer. */
  public static final int UNREACHABLE = 7;
  /** No editor found, or it failed to start. */
  public static final int NO_EDITOR = 8;
  /** A scoped key (a guest's from {@code join}) used for a project or agent outside its one slot. */
  public static final int OUT_OF_SCOPE = 9;
  /** Nothing to do: what was asked for is already so (an invite revoked before, or redeemed). */
  public static final int NOTHING_TO_DO = 10;

  /** For the usage help's list, by code. */
  static java.util.Map<String, String> descriptions() {
    java.util.Map<String, String> list = new java.util.LinkedHashMap<>();
    for (String entry : LIST) {
      int colon = entry.indexOf(':');
      list.put(String.format("%3s", entry.substring(0, colon)), entry.substring(colon + 1));
    }
    return list;
  }

  private static final String[] LIST = {
      "0:success",
      "1:unexpected failure (server error, local file problem)",
      "2:usage error: unknown verb, bad option or argument",
      "3:not logged in, or the server refused the key",
      "4:the key cannot do this (owner-only action)",
      "5:project, agent, invite or member not found",
      "6:conflict: agent already running in another window, already used or expired",
      "7:server unreachable",
      "8:editor not found, or it failed to start",
      "9:scoped key used outside its project or agent (a guest key from join)",
      "10:nothing to do: already so (an invite already revoked or redeemed)"};

  private ExitCode() {}
}
