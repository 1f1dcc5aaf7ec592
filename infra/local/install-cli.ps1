# Installs the meshcode command for this user, without administrator rights: the jar in
# PREFIX\share\meshcode, a launcher PREFIX\bin\meshcode.cmd, and a class-data sharing archive (made
# here, for this Java) that makes every start faster. Builds the jar first when it is missing or older than the sources.
# Usage: infra\local\install-cli [--prefix DIR] [--uninstall]   (default prefix: %LOCALAPPDATA%\meshcode)
# Environment: JAVA_HOME picks the Java (else the one on the PATH); MESHCODE_CLI_JAR installs
# that jar instead of building one. Windows' install-cli: it does what the bash install-cli does.
$ErrorActionPreference = 'Stop'

function Fail([string] $message) {
  [Console]::Error.WriteLine("install-cli: $message")
  exit 1
}

$root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
$prefix = Join-Path $env:LOCALAPPDATA 'meshcode'
$uninstall = $false
for ($i = 0; $i -lt $args.Count; $i++) {
  $arg = [string] $args[$i]
  switch -Regex ($arg) {
    '^--prefix$' {
      if ($i + 1 -ge $args.Count) { Fail '--prefix needs a folder' }
      $i++; $prefix = [string] $args[$i]
    }
    '^--prefix=' { $prefix = $arg.Substring('--prefix='.Length) }
    '^--uninstall$' { $uninstall = $true }
    '^(-h|--help)$' {
      Get-Content -LiteralPath $PSCommandPath -TotalCount 6 | ForEach-Object { $_ -replace '^# ?', '' }
      exit 0
    }
    default {
      [Console]::Error.WriteLine("install-cli: unknown option '$arg' (try --help)")
      exit 2
    }
  }
}
New-Item -ItemType Directory -Force -Path $prefix | Out-Null
$prefix = (Resolve-Path -LiteralPath $prefix).Path
$bin = Join-Path $prefix 'bin'
$lib = Join-Path $prefix 'share\meshcode'
$launcher = Join-Path $bin 'meshcode.cmd'

if ($uninstall) {
  Remove-Item -LiteralPath $launcher -Force -ErrorAction SilentlyContinue
  Remove-Item -LiteralPath $lib -Recurse -Force -ErrorAction SilentlyContinue
  Write-Output "Removed $launcher and $lib. Your keys stay in your keychain (meshcode logout removes them first)."
  exit 0
}

if ($env:JAVA_HOME -and (Test-Path -LiteralPath (Join-Path $env:JAVA_HOME 'bin\java.exe'))) {
  $java = Join-Path $env:JAVA_HOME 'bin\java.exe'
} elseif (Get-Command java -ErrorAction SilentlyContinue) {
  $java = (Get-Command java).Source
} else {
  Fail 'no Java found: install a JDK 17 or newer, or set JAVA_HOME'
}
# Windows PowerShell turns a native program's stderr into errors, which 'Stop' would throw.
$ErrorActionPreference = 'Continue'
$properties = & $java -XshowSettings:properties -version 2>&1 | ForEach-Object { "$_" }
$ErrorActionPreference = 'Stop'
$javaMajor = ($properties | Select-String -Pattern '^\s*java\.specification\.version = (.*)$' |
  ForEach-Object { $_.Matches[0].Groups[1].Value } | Select-Object -First 1)
if (-not $javaMajor -or [int] ($javaMajor -split '\.')[0] -lt 17) {
  Fail "$java is Java $javaMajor; meshcode needs 17 or newer (set JAVA_HOME)"
}

$jar = if ($env:MESHCODE_CLI_JAR) { $env:MESHCODE_CLI_JAR } else { Join-Path $root 'cli\target\meshcode-cli.jar' }
function Test-Stale {
  if (-not (Test-Path -LiteralPath $jar -PathType Leaf)) { return $true }
  $built = (Get-Item -LiteralPath $jar).LastWriteTimeUtc
  $sources = @(Get-ChildItem -LiteralPath (Join-Path $root 'cli') -Recurse -File |
    Where-Object { $_.FullName -like '*\src\main\*' -or $_.Name -eq 'pom.xml' }) + @(Get-Item -LiteralPath (Join-Path $root 'pom.xml'))
  return $null -ne ($sources | Where-Object { $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1)
}
if (-not $env:MESHCODE_CLI_JAR -and (Test-Stale)) {
  [Console]::Error.WriteLine('Building the meshcode command...')
  & (Join-Path $root 'mvnw.cmd') -q -B -DskipTests -pl cli -am package
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}
if (-not (Test-Path -LiteralPath $jar -PathType Leaf)) { Fail "no jar at $jar" }

New-Item -ItemType Directory -Force -Path $bin, $lib | Out-Null
Copy-Item -LiteralPath $jar -Destination (Join-Path $lib 'meshcode.jar.new') -Force
Move-Item -LiteralPath (Join-Path $lib 'meshcode.jar.new') -Destination (Join-Path $lib 'meshcode.jar') -Force
$jsa = Join-Path $lib 'meshcode.jsa'
Remove-Item -LiteralPath $jsa -Force -ErrorAction SilentlyContinue

# C1 only, with one compiler thread, and the serial collector: a verb lives well under a second,
# and the MCP server waits on the network; neither needs the optimising compiler, a second thread
# compiling beside a start-up that already keeps two cores busy, or a parallel collector.
$flags = @('-XX:TieredStopAtLevel=1', '-XX:CICompilerCount=1', '-XX:+UseSerialGC', '-XX:-UsePerfData')
$flagText = $flags -join ' '

$launcherText = @"
@echo off
rem The meshcode launcher, written by infra\local\install-cli. Run it again after upgrading Java.
setlocal
set "JAVA=$java"
set "JAR=$lib\meshcode.jar"
set "JSA=$jsa"
set "MESHCODE_LAUNCHER=$launcher"
if not exist "%JAVA%" (
  set "JAVA=java"
  set "JSA="
)
if defined JSA if exist "%JSA%" (
  "%JAVA%" -XX:SharedArchiveFile="%JSA%" -Xshare:auto $flagText %MESHCODE_JAVA_OPTS% -jar "%JAR%" %*
  exit /b
)
"%JAVA%" $flagText %MESHCODE_JAVA_OPTS% -jar "%JAR%" %*
"@
[IO.File]::WriteAllText("$launcher.new", ($launcherText -replace "`r?`n", "`r`n"), [Text.Encoding]::ASCII)
Move-Item -LiteralPath "$launcher.new" -Destination $launcher -Force

# The class-data archive: the classes the quick verbs load, listed from a run of --version and one
# of status against a server that is not there (no network, no keychain, nothing written) with a
# stored config, so that the JSON reader's classes are in it too, then dumped into a static
# archive (see install-cli for why static).
$training = Join-Path ([IO.Path]::GetTempPath()) ("meshcode-cds-" + [Guid]::NewGuid())
New-Item -ItemType Directory -Path $training | Out-Null
$saved = @{}
foreach ($name in 'HOME', 'APPDATA', 'XDG_CONFIG_HOME', 'MESHCODE_API_KEY') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
try {
  $ErrorActionPreference = 'Continue'
  $env:HOME = $training; $env:APPDATA = $training; $env:XDG_CONFIG_HOME = $training
  $env:MESHCODE_API_KEY = 'mc_0000000000000000000000000000000000000000000'
  New-Item -ItemType Directory -Path (Join-Path $training 'meshcode') | Out-Null
  [IO.File]::WriteAllText((Join-Path $training 'meshcode\config.json'), "{`n  `"server`": `"http://127.0.0.1:9`"`n}`n", [Text.Encoding]::ASCII)
  $classes = Join-Path $training 'classes.lst'
  foreach ($verb in @(@('--version'), @('status'))) {
    $part = Join-Path $training 'classes.part'
    & $java "-XX:DumpLoadedClassList=$part" @flags -jar (Join-Path $lib 'meshcode.jar') @verb *> $null
    if (Test-Path -LiteralPath $part) { Get-Content -LiteralPath $part | Add-Content -LiteralPath $classes }
  }
  $archive = 'no class-data archive (this Java cannot make one; starts are slower)'
  if ((Test-Path -LiteralPath $classes) -and (Get-Item -LiteralPath $classes).Length -gt 0) {
    Get-Content -LiteralPath $classes | Sort-Object -Unique | Set-Content -LiteralPath $classes -Encoding ASCII
    & $java -Xshare:dump "-XX:SharedClassListFile=$classes" "-XX:SharedArchiveFile=$jsa" @flags -cp (Join-Path $lib 'meshcode.jar') *> (Join-Path $training 'dump.log')
    if ($LASTEXITCODE -eq 0) { $archive = "class-data archive $jsa" } else { Remove-Item -LiteralPath $jsa -Force -ErrorAction SilentlyContinue }
  }
} finally {
  $ErrorActionPreference = 'Stop'
  foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
  Remove-Item -LiteralPath $training -Recurse -Force -ErrorAction SilentlyContinue
}

$version = & $launcher --version
Write-Output "Installed ${version}:"
Write-Output "  $launcher"
Write-Output "  $(Join-Path $lib 'meshcode.jar'), $archive"
$onPath = ($env:Path -split ';') | Where-Object { $_.TrimEnd('\') -ieq $bin.TrimEnd('\') }
if ($onPath) {
  Write-Output 'Next: meshcode login <key>'
} else {
  Write-Output "$bin is not on your PATH yet. Add it, then open a new terminal:"
  Write-Output "  [Environment]::SetEnvironmentVariable('Path', '$bin;' + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')"
}
