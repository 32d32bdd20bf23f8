"""Where each Windows fact comes from: the command or file, as an operator would run or open it."""

SOURCES = {
    "mp_status": "Get-MpComputerStatus | ConvertTo-Json",
    "av_products": "Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | ConvertTo-Json",
    "firewall_profiles": "Get-NetFirewallProfile -PolicyStore ActiveStore | Select Name,Enabled,… | ConvertTo-Json",
    "secedit": "secedit /export /areas SECURITYPOLICY",
    "net_accounts": "net accounts",
    "usbstor": r"reg query HKLM\SYSTEM\CurrentControlSet\Services\USBSTOR /v Start",
    "screensaver": r"HKEY_USERS\<desktop users>\[Software\Policies\Microsoft\Windows\]Control Panel\Desktop "
                   r"(ScreenSaveActive, ScreenSaverIsSecure, ScreenSaveTimeOut); HKLM\…\Policies\System /v "
                   "InactivityTimeoutSecs",
    "inactivity": r"reg query HKLM\…\Policies\System /v InactivityTimeoutSecs",
    "autologon": r'reg query "HKLM\…\Winlogon" /v AutoAdminLogon',
    "updates": "Microsoft.Update.Session … Search(\"IsInstalled=0 and Type='Software'\")",
    "listening": "Get-NetTCPConnection -State Listen; Get-NetUDPEndpoint (with Get-Process names) | ConvertTo-Json",
    "routes": "Get-NetRoute -PolicyStore ActiveStore | ConvertTo-Json",
    "adapters": "Get-NetAdapter (Name, Status, MacAddress, NdisPhysicalMedium); Get-NetIPAddress | ConvertTo-Json",
    "route_lookups": "Find-NetRoute -RemoteIPAddress <each zicha_internet_probes address>",
    "probes": "System.Net.Sockets.TcpClient connect to each zicha_internet_probes address (probe_timeout_seconds)",
    "network_config": "Get-NetIPInterface -AddressFamily IPv4 (Dhcp) | ConvertTo-Json",
    "local_users": "[ADSI]\"WinNT://<computer>\" users (UserFlags, PasswordAge, MaxPasswordAge); no logon tried",
    "remote_access": r"HKLM\…\Terminal Server (fDenyTSConnections), …\WinStations\RDP-Tcp (UserAuthentication, "
                     r"SecurityLayer), HKLM\SOFTWARE\Policies\…\Terminal Services; WSMan:\localhost\Service\AllowUnencrypted",
    "snmp": r"Get-Service SNMP; HKLM\SYSTEM\CurrentControlSet\Services\SNMP\Parameters\ValidCommunities and "
            r"HKLM\SOFTWARE\Policies\SNMP\Parameters\ValidCommunities (judged on the host)",
    "event_logs": "Get-WinEvent -ListLog Security, System, Application (LogMode, sizes); the oldest record of each",
    "log_forwarding": r"reg query HKLM\SOFTWARE\Policies\Microsoft\Windows\EventLog\EventForwarding\SubscriptionManager; "
                      r"Get-Service WinRM, nxlog; %ProgramFiles%\nxlog\conf\nxlog.conf",
    "port_mappings": r"reg query HKLM\SYSTEM\CurrentControlSet\Services\PortProxy /s (netsh interface portproxy); "
                     "Get-NetNatStaticMapping; Get-Service RemoteAccess",
    "backups": "wbadmin get versions [-backupTarget:REPO] (tool wbadmin); Get-ChildItem -Recurse REPO, newest 20 "
               "files (tool files): the repositories of zicha_backup_repos",
    "restore_log": r"C:\ProgramData\zicha\restore-tests.jsonl (zicha_restore_log): restore tests, JSON lines",
    "time_service": "Get-Service W32Time | Select Name,Status,StartType | ConvertTo-Json",
    "w32time": r"reg query HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters; "
               r"reg query HKLM\SOFTWARE\Policies\Microsoft\W32Time\Parameters",
}
