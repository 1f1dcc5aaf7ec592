package io.meshcode.cli.api;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;

/** The gateway answered with an error: its status, its error code and its message. */
public final class GatewayError extends CliException {

  private final int status;
  private final String code;

  GatewayError(int status, String code, String message) {
    super(exitCodeFor(status), message);
    this.status = status;
    this.code = code == null ? "" : code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  static int exitCodeFor(int status) {
    return switch (status) {
      case 400, 413, 422 -> ExitCode.USAGE;
      case 401 -> ExitCode.NOT_LOGGED_IN;
      case 403 -> ExitCode.NO_ACCESS;
      case 404 -> ExitCode.NOT_FOUND;
      case 409, 410 -> ExitCode.CONFLICT;
      default -> ExitCode.FAILURE;
    };
  }
}
