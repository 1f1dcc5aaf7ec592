# Starts the whole MeshCode mesh on this machine (embedded PostgreSQL and Kafka, all five
# services), building it first when the build is missing or older than the sources.
# Options: --port N, --fresh, --help. Data: $env:MESHCODE_HOME\dev (default ~\.meshcode\dev).
# Windows' run-mesh: run-mesh.cmd runs this script; it does what the bash run-mesh does.
$ErrorActionPreference = 'Stop'

$root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
$jar = Join-Path $root 'local\target\meshcode-local.jar'

function Test-Stale {
  if (-not (Test-Path -LiteralPath $jar -PathType Leaf)) { return $true }
  $built = (Get-Item -LiteralPath $jar).LastWriteTimeUtc
  $newer = Get-ChildItem -LiteralPath $root -Recurse -File -ErrorAction SilentlyContinue |
    Where-Object { $_.FullName -notlike (Join-Path $root '.git\*') -and
                   ($_.FullName -like '*\src\*' -or $_.Name -eq 'pom.xml') -and
                   $_.LastWriteTimeUtc -gt $built } |
    Select-Object -First 1
  return $null -ne $newer
}

if (Test-Stale) {
  [Console]::Error.WriteLine('Building MeshCode (first run, or the sources changed)...')
  & (Join-Path $root 'mvnw.cmd') -q -B -DskipTests -pl local -am package
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

$javaOptions = @()
if ($env:MESHCODE_JAVA_OPTS) { $javaOptions = $env:MESHCODE_JAVA_OPTS -split '\s+' | Where-Object { $_ } }
& java @javaOptions -jar $jar @args
exit $LASTEXITCODE
