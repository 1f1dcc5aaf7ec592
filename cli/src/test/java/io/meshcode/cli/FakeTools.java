package io.meshcode.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Fake executables for a test's PATH: editors that record their arguments, working folder and
 * environment and copy the MCP config they were given; a {@code secret-tool} that keeps secrets
 * in files; a browser opener and a {@code $BROWSER} that record the URL. Each writes under
 * {@link #logs()}.
 */
public final class FakeTools {

  private final Path bin;
  private final Path logs;

  public FakeTools(Path root) {
    this.bin = root.resolve("bin");
    this.logs = root.resolve("logs");
    try {
      Files.createDirectories(bin);
      Files.createDirectories(logs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path bin() {
    return bin;
  }

  public Path logs() {
    return logs;
  }

  /**
   * An editor called {@code command}: it logs {@code cwd=}, {@code server=}, {@code take_over=}
   * and one {@code arg=} line per argument to {@code <command>.log}, and copies the config it
   * reads (the file after {@code --mcp-config}, or {@code configPath} under its folder
   * argument or working folder) to {@code <command>.config.json}.
   */
  public FakeTools editor(String command, String configPath) {
    String script = """
        #!/bin/sh
        log="%1$s/%2$s.log"
        {
          echo "cwd=$(pwd)"
          echo "server=$MESHCODE_SERVER"
          echo "take_over=$MESHCODE_TAKE_OVER"
          for a in "$@"; do echo "arg=$a"; done
        } >> "$log"
        config=""
        previous=""
        for a in "$@"; do
          if [ "$previous" = "--mcp-config" ]; then config="$a"; fi
          previous="$a"
        done
        if [ -z "$config" ] && [ -n "%3$s" ]; then
          if [ -d "$1" ] && [ -f "$1/%3$s" ]; then config="$1/%3$s"; else config="%3$s"; fi
        fi
        if [ -n "$config" ] && [ -f "$config" ]; then cp "$config" "%1$s/%2$s.config.json"; fi
        exit 0
        """.formatted(logs, command, configPath == null ? "" : configPath);
    return write(command, script);
  }

  /** Every editor the CLI knows, with the config each reads. */
  public FakeTools allEditors() {
    return editor("claude", null).editor("cursor", ".cursor/mcp.json").editor("code", ".vscode/mcp.json")
        .editor("windsurf", ".windsurf/mcp.json").editor("codex", ".meshcode.json");
  }

  /** A libsecret {@code secret-tool} that keeps each secret in a file named by its attributes, and logs its arguments. */
  public FakeTools secretTool() {
    String script = """
        #!/bin/sh
        dir="%1$s/keyring"
        mkdir -p "$dir"
        echo "$*" >> "%1$s/secret-tool.log"
        command="$1"; shift
        if [ "$command" = "store" ]; then
          while [ "$#" -gt 0 ]; do
            case "$1" in
              --label) shift 2 ;;
              --label=*) shift ;;
              *) break ;;
            esac
          done
        fi
        entry="$dir/$(printf '%%s' "$*" | md5sum | cut -c1-32)"
        case "$command" in
          store) cat > "$entry" ;;
          lookup) [ -f "$entry" ] && cat "$entry" || exit 1 ;;
          clear) rm -f "$entry" ;;
          *) echo "secret-tool: unknown command $command" >&2; exit 2 ;;
        esac
        """.formatted(logs);
    return write("secret-tool", script);
  }

  /** A {@code secret-tool} with no Secret Service to talk to, as on a headless server. */
  public FakeTools brokenSecretTool() {
    return write("secret-tool", """
        #!/bin/sh
        echo "secret-tool: Cannot autolaunch D-Bus without X11 \\$DISPLAY" >&2
        exit 1
        """);
  }

  /** An {@code xdg-open} that records the URL it was asked to open. */
  public FakeTools browser() {
    return write("xdg-open", """
        #!/bin/sh
        echo "$1" >> "%s/xdg-open.log"
        """.formatted(logs));
  }

  /**
   * A browser for {@code $BROWSER}, which the CLI runs with the URL as its one argument: it logs
   * each argument on a line of its own to {@code browser.log}. Answers its path.
   */
  public Path browserCommand() {
    write("fake-browser", """
        #!/bin/sh
        for a in "$@"; do echo "$a" >> "%s/browser.log"; done
        """.formatted(logs));
    return bin.resolve("fake-browser");
  }

  /**
   * Windows' URL opener as the CLI runs it ({@code rundll32 url.dll,FileProtocolHandler <url>}),
   * found on the PATH as {@code rundll32.exe}: it logs each argument on a line to {@code rundll32.log}.
   */
  public FakeTools windowsBrowser() {
    return write("rundll32.exe", """
        #!/bin/sh
        for a in "$@"; do echo "$a" >> "%s/rundll32.log"; done
        """.formatted(logs));
  }

  /** The secrets the fake keychain holds. */
  public List<String> keyringSecrets() {
    Path dir = logs.resolve("keyring");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files.map(file -> {
        try {
          return Files.readString(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a fake wrote to {@code name}, or "" if nothing. */
  public String log(String name) {
    Path file = logs.resolve(name);
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FakeTools write(String name, String script) {
    try {
      Path file = bin.resolve(name);
      Files.writeString(file, script);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
