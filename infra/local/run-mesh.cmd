@echo off
rem Windows' run-mesh (cmd.exe or PowerShell): runs run-mesh.ps1 beside it with the same options.
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0run-mesh.ps1" %*
exit /b %ERRORLEVEL%
