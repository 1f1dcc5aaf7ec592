@echo off
rem Windows' install-cli (cmd.exe or PowerShell): runs install-cli.ps1 beside it with the same options.
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0install-cli.ps1" %*
exit /b %ERRORLEVEL%
