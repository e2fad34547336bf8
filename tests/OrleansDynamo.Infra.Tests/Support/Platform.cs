// The deployment files are for Linux hosts and images, and the tests run their scripts with sh and bash, the
// Bicep CLI of the linux-x64 package and systemd-analyze: they run on Linux only.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
