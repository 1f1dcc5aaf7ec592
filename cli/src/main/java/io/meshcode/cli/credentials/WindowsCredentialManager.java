package io.meshcode.cli.credentials;

import io.meshcode.cli.Environment;
import io.meshcode.cli.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Windows: the Credential Manager (generic credentials, target {@code meshcode:<scope>@<server>}),
 * through PowerShell calling {@code CredWrite}/{@code CredRead}/{@code CredDelete}; {@code cmdkey}
 * cannot read a password back. The key goes through stdin, never the command line. Not exercised
 * by the test suite (it runs on Linux): see docs/CLI.md.
 */
final class WindowsCredentialManager implements Keychain {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int NOT_FOUND = 3;

  private static final String NATIVE = """
      $ErrorActionPreference = 'Stop'
      Add-Type -TypeDefinition @'
      using System; using System.Runtime.InteropServices; using System.Text;
      public static class MeshcodeCredential {
        [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
        public struct CREDENTIAL {
          public int Flags; public int Type; public string TargetName; public string Comment; public long LastWritten;
          public int CredentialBlobSize; public IntPtr CredentialBlob; public int Persist; public int AttributeCount;
          public IntPtr Attributes; public string TargetAlias; public string UserName;
        }
        [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool CredWrite(ref CREDENTIAL c, int flags);
        [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool CredRead(string target, int type, int flags, out IntPtr c);
        [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool CredDelete(string target, int type, int flags);
        [DllImport("advapi32.dll")] static extern void CredFree(IntPtr c);
        public static void Write(string target, string secret) {
          byte[] blob = Encoding.Unicode.GetBytes(secret);
          CREDENTIAL c = new CREDENTIAL();
          c.Type = 1; c.TargetName = target; c.UserName = "meshcode"; c.Persist = 2; c.CredentialBlobSize = blob.Length;
          c.CredentialBlob = Marshal.AllocHGlobal(blob.Length);
          Marshal.Copy(blob, 0, c.CredentialBlob, blob.Length);
          try { if (!CredWrite(ref c, 0)) throw new System.ComponentModel.Win32Exception(); }
          finally { Marshal.FreeHGlobal(c.CredentialBlob); }
        }
        public static string Read(string target) {
          IntPtr p;
          if (!CredRead(target, 1, 0, out p)) return null;
          try {
            CREDENTIAL c = (CREDENTIAL) Marshal.PtrToStructure(p, typeof(CREDENTIAL));
            return Marshal.PtrToStringUni(c.CredentialBlob, c.CredentialBlobSize / 2);
          } finally { CredFree(p); }
        }
        public static bool Delete(string target) { return CredDelete(target, 1, 0); }
      }
      '@
      """;

  private final Environment env;
  private final String powershell;

  WindowsCredentialManager(Environment env, String powershell) {
    this.env = env;
    this.powershell = powershell;
  }

  @Override
  public String description() {
    return "the Windows Credential Manager";
  }

  @Override
  public String id() {
    return "windows";
  }

  private static String target(String server, String scope) {
    return "meshcode:" + scope + "@" + server;
  }

  @Override
  public void store(String server, String scope, String secret) throws KeychainException {
    Processes.Result result = run("[MeshcodeCredential]::Write('" + target(server, scope) + "', [Console]::In.ReadToEnd())", secret);
    if (!result.ok()) {
      throw new KeychainException("the Credential Manager could not store the key: " + result.why());
    }
  }

  @Override
  public Optional<String> load(String server, String scope) throws KeychainException {
    Processes.Result result = run("$s = [MeshcodeCredential]::Read('" + target(server, scope) + "'); if ($s -eq $null) { exit "
        + NOT_FOUND + " }; [Console]::Out.Write($s)", null);
    if (result.ok()) {
      return Optional.of(result.stdout().strip());
    }
    if (result.exitCode() == NOT_FOUND) {
      return Optional.empty();
    }
    throw new KeychainException("the Credential Manager could not read the key: " + result.why());
  }

  @Override
  public void delete(String server, String scope) throws KeychainException {
    Processes.Result result = run("[void][MeshcodeCredential]::Delete('" + target(server, scope) + "')", null);
    if (!result.ok()) {
      throw new KeychainException("the Credential Manager could not delete the key: " + result.why());
    }
  }

  private Processes.Result run(String action, String stdin) throws KeychainException {
    String script = NATIVE + action + "\n";
    String encoded = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
    try {
      return Processes.run(env, List.of(powershell, "-NoProfile", "-NonInteractive", "-EncodedCommand", encoded), stdin, TIMEOUT);
    } catch (IOException e) {
      throw new KeychainException("PowerShell failed: " + e.getMessage());
    }
  }
}
