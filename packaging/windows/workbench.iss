; Inno Setup 6 script: installs the PyInstaller one-folder app (dist\Workbench) as Workbench.
; build-windows.ps1 compiles it after the self-test passed:
;   ISCC /DAppVersion=1.2.0 /DVariant=cuda packaging\windows\workbench.iss
; Defines (all optional): AppVersion, NumericVersion (up to four numbers, for the file's version
; resource), Variant (cpu, cuda or vulkan), BundleDir (default ..\..\dist\Workbench), OutDir
; (default ..\..\dist), ChineseIsl (a ChineseSimplified.isl to use when Inno Setup's Languages
; folder has none), SetupIcon (an .ico for the installer).

#if VER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (x64compatible architecture identifiers)
#endif

#ifndef AppVersion
  #define AppVersion "0.0.0-dev"
#endif
#ifndef Variant
  #define Variant "cpu"
#endif
#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\Workbench"
#endif
#ifndef OutDir
  #define OutDir AddBackslash(SourcePath) + "..\..\dist"
#endif

#if !FileExists(AddBackslash(BundleDir) + "Workbench.exe")
  #error Workbench.exe is not in the bundle folder: run PyInstaller (build-windows.ps1) first
#endif

[Setup]
; The AppId identifies the installation for upgrades and the uninstaller: never change it. The
; variants share it, so installing the cuda build over the cpu one replaces it.
AppId={{F4456C9D-5D73-49BE-B979-FCCD6C73695A}
AppName=Workbench
AppVersion={#AppVersion}
AppVerName=Workbench {#AppVersion} ({#Variant})
AppPublisher=The Workbench developers
#ifdef NumericVersion
VersionInfoVersion={#NumericVersion}
#endif
DefaultDirName={autopf}\Workbench
DisableProgramGroupPage=yes
; For all users (Program Files, needs an administrator) by default; the dialog offers an
; installation for the current user only (under %LOCALAPPDATA%\Programs), without elevation.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
; 64-bit only: the Python, Qt and llama.cpp inside are x64 builds. Windows on Arm runs them
; through its x64 emulation, which x64compatible admits.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.8 and newer need Windows 10 1809 (build 17763) or later.
MinVersion=10.0.17763
UninstallDisplayIcon={app}\Workbench.exe
UninstallDisplayName=Workbench
WizardStyle=modern
OutputDir={#OutDir}
OutputBaseFilename=Workbench-{#AppVersion}-windows-x64-{#Variant}-setup
; lzma2/max compresses the CUDA build's several hundred MB of cuBLAS in reasonable time and memory.
Compression=lzma2/max
SolidCompression=yes
LZMAUseSeparateProcess=yes
SetupLogging=yes
ShowLanguageDialog=auto
#ifdef SetupIcon
SetupIconFile={#SetupIcon}
#endif

[Languages]
; With ShowLanguageDialog=auto (above) the Windows UI language picks one; the dialog only appears
; when neither matches.
Name: "english"; MessagesFile: "compiler:Default.isl"
; Chinese (Simplified): the translation in Inno Setup's Languages folder when there is one, else
; the one build-windows.ps1 downloaded from Inno Setup's repository (ChineseIsl). Without either
; the installer is English only.
#ifexist AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #ifdef ChineseIsl
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
  #else
    #pragma warning "ChineseSimplified.isl not found: this installer is English only"
  #endif
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; The previous installation's bundle goes first: an upgrade, or another variant, must not leave
; its DLLs (a cuda build's cuBLAS, an older Qt) beside the new ones. User data is elsewhere
; (%LOCALAPPDATA%\Workbench) and stays.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Workbench"; Filename: "{app}\Workbench.exe"
Name: "{autodesktop}\Workbench"; Filename: "{app}\Workbench.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Workbench.exe"; Description: "{cm:LaunchProgram,Workbench}"; Flags: nowait postinstall skipifsilent
