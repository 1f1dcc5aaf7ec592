package io.meshcode.cli;

/**
 * A failure a user meets: its message is the one line the CLI prints, its exit code the one the
 * process ends with. Messages never contain a key.
 */
public class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  public static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }

  public static CliException notLoggedIn() {
    return new CliException(ExitCode.NOT_LOGGED_IN, "no credentials: run meshcode login first");
  }

  public static CliException notFound(String message) {
    return new CliException(ExitCode.NOT_FOUND, message);
  }

  public static CliException noAccess(String message) {
    return new CliException(ExitCode.NO_ACCESS, message);
  }

  public static CliException failure(String message) {
    return new CliException(ExitCode.FAILURE, message);
  }

  public static CliException failure(String message, Throwable cause) {
    return new CliException(ExitCode.FAILURE, message, cause);
  }
}
