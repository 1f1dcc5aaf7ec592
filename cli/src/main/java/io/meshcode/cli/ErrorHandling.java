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
      err.println("meshcode: unexpected error: " + exception);
      if (env.get("MESHCODE_DEBUG").isPresent()) {
        exception.printStackTrace(err);
      } else {
        err.println("(set MESHCODE_DEBUG=1 for the details)");
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
      err.println("meshcode: unknown verb '" + verb + "'."
          + (close.isEmpty() ? "" : " Did you mean: meshcode " + close.get(0) + "?") + " meshcode help lists every verb.");
    } else {
      err.println("meshcode: " + exception.getMessage());
      err.println("See 'meshcode " + (command.getParent() == null ? "" : command.getCommandSpec().qualifiedName(" ")
          .replaceFirst("^meshcode ", "") + " ") + "--help'.");
    }
    err.flush();
    return ExitCode.USAGE;
  }
}
