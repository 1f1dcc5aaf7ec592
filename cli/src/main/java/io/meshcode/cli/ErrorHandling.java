package io.meshcode.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Every failure becomes one line on stderr and a documented exit code ({@link ExitCode}), here
 * and nowhere else: {@link CliException}s say what happened; anything else is a bug, shown with
 * its stack trace only when {@code MESHCODE_DEBUG} is set.
 */
final class ErrorHandling implements IExecutionExceptionHandler, IParameterExceptionHandler, IExitCodeExceptionMapper {

  private final Environment env;

  ErrorHandling(Environment env) {
    this.env = env;
  }

  @Override
  public int getExitCode(Throwable exception) {
    return exception instanceof CliException cli ? cli.exitCode() : ExitCode.FAILURE;
  }

  @Override
  public int handleExecutionException(Exception exception, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (exception instanceof CliException cli) {
      err.println("meshcode: " + cli.getMessage());
    } else {
      boolean debug = env.get("MESHCODE_DEBUG").isPresent();
      err.println("meshcode: unexpected error: " + usageLine(String.valueOf(exception))
          + (debug ? "" : "; set MESHCODE_DEBUG=1 for the details, and report it"));
      if (debug) {
        exception.printStackTrace(err);
      }
    }
    err.flush();
    return getExitCode(exception);
  }

  @Override
  public int handleParseException(ParameterException exception, String[] args) {
    CommandLine command = exception.getCommandLine();
    PrintWriter err = command.getErr();
    if (exception instanceof UnmatchedArgumentException unmatched && command.getParent() == null
        && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
      String verb = unmatched.getUnmatched().get(0);
      List<String> verbs = command.getSubcommands().entrySet().stream()
          .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
          .map(java.util.Map.Entry::getKey)
          .toList();
      List<String> close = Suggestions.closest(verb, verbs);
      err.println("meshcode: unknown verb '" + verb + "'"
          + (close.isEmpty() ? "" : " (did you mean: meshcode " + close.get(0) + "?)") + "; meshcode help lists every verb");
    } else {
      String verb = command.getParent() == null ? "" : command.getCommandSpec().qualifiedName(" ").replaceFirst("^meshcode ", "") + " ";
      err.println("meshcode: " + usageLine(exception.getMessage()) + "; see meshcode " + verb + "--help");
    }
    err.flush();
    return ExitCode.USAGE;
  }

  /**
   * picocli's message as the CLI's own: one line, lower-case start, no closing full stop
   * ("Missing required parameter: '<agent>'" becomes "missing required parameter: '<agent>'").
   */
  static String usageLine(String message) {
    String line = (message == null ? "bad usage" : message).strip().replaceAll("\\s*\\R\\s*", "; ").replaceAll("[.;]+$", "");
    if (line.length() > 1 && Character.isUpperCase(line.charAt(0)) && !Character.isUpperCase(line.charAt(1))) {
      line = Character.toLowerCase(line.charAt(0)) + line.substring(1);
    }
    return line;
  }
}
