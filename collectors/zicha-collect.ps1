<#
.SYNOPSIS
    zicha-collect.ps1 0.1.0: collect the facts of an air-gapped (涉密) Windows computer for zicha, read-only.

.DESCRIPTION
    Runs on Windows PowerShell 5.1 (Windows 7 SP1 with WMF 5.1, 8.1, 10, 11; Server 2012 R2 to 2022) from a USB
    stick, with nothing installed. Run it as administrator (secedit and the Security log need it). It writes
    HOST.json beside itself (or -OutFile): the commands' own outputs, their sha256 and an RSA signature by the
    collector key. Carry the file back and import it: zicha audit --import DIR --collector-key collector.pub.
    Nothing here reads a password or a hash; SNMP communities are judged here and only the verdict is written.
    Made by zicha 0.1.0 (zicha collect-script) from the code its WinRM module runs; do not edit it by hand.

.PARAMETER KeyFile
    The collector key for this script: NAME.ps-key.json from `zicha keygen --algorithm rsa-sha256 --name NAME`.
    Keep it with the script on the stick, away from the computers it audits' users.

.EXAMPLE
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File E:\zicha-collect.ps1 -KeyFile E:\collector.ps-key.json -HostName pc-mj-01 -Classified
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$KeyFile,
    [string]$OutFile = '',
    [string]$HostName = $env:COMPUTERNAME.ToLowerInvariant(),  # as the inventory names it (-HostName otherwise)
    [ValidateSet('terminal', 'server')][string]$Role = 'terminal',
    [string]$Zone = '',
    [switch]$Classified,
    [string[]]$InternetProbe = @('114.114.114.114:53', '223.5.5.5:53', '180.76.76.76:53'),
    [int]$ProbeTimeout = 3,
    # backups, where the inventory marks the PC zicha_backup_required: wbadmin targets (E:, \\nas\share, or local)
    # and folders that backups are copied to; the restore tests recorded on the PC
    [string[]]$BackupTarget = @(),
    [string[]]$BackupFolder = @(),
    [string]$RestoreLog = 'C:\ProgramData\zicha\restore-tests.jsonl'
)

$ErrorActionPreference = 'Continue'
$zichaVersion = '0.1.0'

function ConvertTo-ZichaJsonString([string]$Text) {
    # Python's json.dumps(ensure_ascii=False): only '"', '\' and the control characters are escaped
    $escaped = [regex]::Replace($Text, '[\x00-\x1f"\\]', {
            param($m)
            $c = [int][char]$m.Value[0]
            switch ($c) {
                8 { '\b' }
                9 { '\t' }
                10 { '\n' }
                12 { '\f' }
                13 { '\r' }
                34 { '\"' }
                92 { '\\' }
                default { '\u{0:x4}' -f $c }
            }
        })
    return '"' + $escaped + '"'
}

function ConvertTo-ZichaCanonicalJson($Value) {
    # json.dumps(sort_keys=True, ensure_ascii=False, separators=(',', ':')): what zicha hashes and verifies
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [bool]) { if ($Value) { return 'true' } else { return 'false' } }
    if ($Value -is [string] -or $Value -is [char]) { return (ConvertTo-ZichaJsonString ([string]$Value)) }
    if ($Value -is [byte] -or $Value -is [int16] -or $Value -is [int32] -or $Value -is [int64] -or
        $Value -is [uint16] -or $Value -is [uint32] -or $Value -is [uint64] -or $Value -is [sbyte]) {
        return [string]::Format([System.Globalization.CultureInfo]::InvariantCulture, '{0}', $Value)
    }
    if ($Value -is [System.Collections.IDictionary]) {
        $keys = [string[]]@($Value.Keys | ForEach-Object { [string]$_ })
        [System.Array]::Sort($keys, [System.StringComparer]::Ordinal)
        $parts = foreach ($k in $keys) { (ConvertTo-ZichaJsonString $k) + ':' + (ConvertTo-ZichaCanonicalJson $Value[$k]) }
        return '{' + (@($parts) -join ',') + '}'
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $parts = foreach ($v in $Value) { ConvertTo-ZichaCanonicalJson $v }
        return '[' + (@($parts) -join ',') + ']'
    }
    throw "zicha-collect: a $($Value.GetType().FullName) cannot be written exactly; nothing was written"
}

function Get-Sha256Hex([byte[]]$Bytes) {
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try { return (($sha.ComputeHash($Bytes) | ForEach-Object { $_.ToString('x2') }) -join '') } finally { $sha.Dispose() }
}

$runner = [System.Security.Principal.WindowsIdentity]::GetCurrent()
if (-not ([System.Security.Principal.WindowsPrincipal]$runner).IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Write-Error 'zicha-collect: run it as administrator (right-click PowerShell, Run as administrator)'
    exit 2
}
if ($HostName -notmatch '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$') {
    Write-Error "zicha-collect: -HostName '$HostName' is not a host name zicha accepts (letters, digits, . _ -)"
    exit 2
}

# The key first: a collection that cannot be signed is refused on import, so it is not made
try {
    $key = Get-Content -LiteralPath $KeyFile -Raw -Encoding UTF8 -ErrorAction Stop | ConvertFrom-Json
    if ($key.algorithm -ne 'rsa-sha256' -or -not $key.rsa_key_value -or -not $key.key_fingerprint) {
        throw 'not a collector key of zicha keygen --algorithm rsa-sha256 (NAME.ps-key.json)'
    }
    $csp = New-Object -TypeName System.Security.Cryptography.CspParameters -ArgumentList 24  # PROV_RSA_AES: SHA-256
    $rsa = New-Object -TypeName System.Security.Cryptography.RSACryptoServiceProvider -ArgumentList $csp
    $rsa.PersistKeyInCsp = $false
    $rsa.FromXmlString([string]$key.rsa_key_value)
} catch {
    Write-Error "zicha-collect: key $KeyFile`: $($_.Exception.Message)"
    exit 2
}

$probes = @($InternetProbe | Where-Object { $_ })
$timeoutMs = $ProbeTimeout * 1000
$defaultCommunities = @{}  # a hashtable compares its keys without regard to case, as the defaults are compared
foreach ($c in @([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('WyJwdWJsaWMiLCAicHJpdmF0ZSIsICJjb21tdW5pdHkiLCAic25tcCIsICJzbm1wZCIsICJodWF3ZWkiLCAiaDNjIiwgImNpc2NvIiwgImFkbWluIiwgIm1hbmFnZXIiLCAic2VjdXJpdHkiLCAibW9uaXRvciIsICJyZWFkIiwgIndyaXRlIiwgInNlY3JldCIsICJ0ZXN0IiwgImRlZmF1bHQiLCAibW5ndCIsICJuZXRtYW4iLCAiSUxNSSIsICJhbGwgcHJpdmF0ZSJd')) |
        ConvertFrom-Json | ForEach-Object { $_ })) { $defaultCommunities[[string]$c] = $true }
$weakCommunities = New-Object 'System.Collections.Generic.HashSet[string]' ([System.StringComparer]::Ordinal)
foreach ($c in @([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('WyIxMjM0NTYiLCAiMTIzNDU2NzgiLCAiMTIzNDU2Nzg5IiwgIjEyMzQ1Njc4OTAiLCAiMTExMTExIiwgIjg4ODg4OCIsICI2NjY2NjYiLCAiMDAwMDAwIiwgIjExMjIzMyIsICIxMjMxMjMiLCAiNjU0MzIxIiwgImFiYzEyMyIsICJhYmNAMTIzIiwgIkFiY0AxMjMiLCAiQWJjMTIzNDU2IiwgImExMjM0NTYiLCAiYWExMjM0NTYiLCAicXdlcnR5IiwgInF3ZTEyMyIsICIxcWF6MndzeCIsICIxcWF6QFdTWCIsICIxcTJ3M2U0ciIsICIxcTJ3M2U0cjV0IiwgInphcTEyd3N4IiwgInBhc3N3b3JkIiwgIlBhc3N3b3JkIiwgInBhc3N3MHJkIiwgIlBAc3N3MHJkIiwgIlBAc3N3b3JkIiwgIlBAc3MxMjM0IiwgIlBhJCR3MHJkIiwgIlBhc3N3MHJkISIsICJ3b2FpbmkxMzE0IiwgIjUyMDEzMTQiLCAiaWxvdmV5b3UiLCAiY2hhbmdlbWUiLCAid2VsY29tZSIsICJXZWxjb21lMSIsICJhZG1pbiIsICJhZG1pbjEyMyIsICJhZG1pbkAxMjMiLCAiQWRtaW5AMTIzIiwgIkFkbWluMTIzIiwgIkFkbWluQDEyMzQiLCAiYWRtaW44ODgiLCAiYWRtaW5pc3RyYXRvciIsICJBZG1pbmlzdHJhdG9yIiwgInJvb3QiLCAicm9vdDEyMyIsICJSb290QDEyMyIsICJ0b29yIiwgInRlc3QiLCAidGVzdDEyMyIsICJUZXN0QDEyMyIsICJndWVzdCIsICJ1c2VyIiwgInN5c3RlbSIsICJtYW5hZ2VyIiwgImh1YXdlaSIsICJodWF3ZWlAMTIzIiwgIkh1YXdlaUAxMjMiLCAiSHVhd2VpMTIjJCIsICJBZG1pbkBodWF3ZWkiLCAiQWRtaW5AaHVhd2VpLmNvbSIsICJDaGFuZ2VtZV8xMjMiLCAiYWRtaW5AaHVhd2VpLmNvbSIsICJoM2MiLCAiaDNjYXBhZG1pbiIsICJhZG1pbkBoM2MiLCAiSDNDQDEyMyIsICJjaXNjbyIsICJDaXNjbzEyMyIsICJjaXNjbzEyMyIsICJDaXNjb0AxMjMiLCAicnVpamllIiwgIlJ1aWppZUAxMjMiLCAic2FuZ2ZvciIsICJTYW5nZm9yQDEyMyIsICJoaWxsc3RvbmUiLCAidmVudXM3MCIsICJ0b3BzZWMiLCAidGFsZW50IiwgInN1cGVydXNlciIsICJjYWx2aW4iLCAiaHVhd2VpMTIzIiwgIkh1YXdlaTEyMyIsICJoM2MxMjMiLCAiSDNDMTIzIiwgIkFkbWluQDkwMDAiLCAiQURNSU4iLCAiUEFTU1cwUkQiLCAienRlIiwgIlp0ZUAxMjMiLCAiZGVsbCIsICJsZW5vdm8iLCAiaW5zcHVyIiwgIkluc3B1cjEyMyIsICJ3b2FpbmkiLCAiemhvbmdndW8iLCAiemhvbmdndW8xMjMiLCAicXdlcjEyMzQiLCAiUXdlcjEyMzQiLCAiQWExMjM0NTYiLCAiQWExMjM0NTYuIiwgIkFhQDEyMzQ1NiIsICJBZG1pbiFAIyIsICJBYmNkMTIzNCIsICJBYmNkQDEyMzQiXQ==')) |
        ConvertFrom-Json | ForEach-Object { $_ })) { $null = $weakCommunities.Add([string]$c) }

$backupRepos = @(@($BackupTarget | Where-Object { $_ } | ForEach-Object { @{ tool = 'wbadmin'; repo = $_ } }) +
    @($BackupFolder | Where-Object { $_ } | ForEach-Object { @{ tool = 'files'; repo = $_ } }))
$restoreLog = $RestoreLog

# ---- the module's collection code (zicha_windows_facts.ps1), unchanged ----
# $timeoutMs, $defaultCommunities, $weakCommunities, $backupRepos and $restoreLog as above)
function Test-WeakCommunity([string]$Community) {
    # a default (any case) or one of the weak candidates (exactly): the community itself never leaves this function
    return ($defaultCommunities.ContainsKey($Community) -or $weakCommunities.Contains($Community))
}

function Get-SnmpCommunities {
    # ValidCommunities: value name = community, data = rights (4 READ ONLY, 8 READ WRITE, 16 READ CREATE; 1 NONE
    # and 2 NOTIFY give no access to the MIB and are left out). Group Policy's list (value data = community) is
    # read-only. Only access, verdict and where: never the community.
    $rows = @()
    $local = 'HKLM:\SYSTEM\CurrentControlSet\Services\SNMP\Parameters\ValidCommunities'
    if (Test-Path -LiteralPath $local) {
        $item = Get-Item -LiteralPath $local -ErrorAction Stop
        foreach ($name in $item.GetValueNames()) {
            if ($name -eq '') { continue }
            $rights = [int]$item.GetValue($name)
            $access = if ($rights -ge 8) { 'write' } elseif ($rights -eq 4) { 'read' } else { $null }
            if ($null -ne $access) {
                $rows += [pscustomobject]@{ Access = $access; Default = (Test-WeakCommunity $name); Source = 'ValidCommunities' }
            }
        }
    }
    $policy = 'HKLM:\SOFTWARE\Policies\SNMP\Parameters\ValidCommunities'
    if (Test-Path -LiteralPath $policy) {
        $item = Get-Item -LiteralPath $policy -ErrorAction Stop
        foreach ($name in $item.GetValueNames()) {
            $rows += [pscustomobject]@{ Access = 'read'; Default = (Test-WeakCommunity ([string]$item.GetValue($name)))
                                        Source = 'Policies ValidCommunities' }
        }
    }
    $svc = Get-Service -Name SNMP -ErrorAction SilentlyContinue
    return [pscustomobject]@{ Present = ($null -ne $svc); Running = ($null -ne $svc -and [string]$svc.Status -eq 'Running')
                              Communities = $rows }
}

function Get-RegValue([string]$Path, [string]$Name) {
    # one registry value, or $null where the key or the value does not exist
    $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -ne $item) { return $item.$Name }
    return $null
}

function Split-Target([string]$Target) {
    # "host:port" or "[v6]:port" -> @(host, port); the port is 0 when the target has none
    if ($Target -match '^\[(.+)\]:(\d+)$' -or $Target -match '^([^:]+):(\d+)$') {
        return @($Matches[1], [int]$Matches[2])
    }
    return @($Target, 0)
}

function Resolve-Target([string]$Name) {
    # the first address of a name (an address resolves to itself), or $null
    $ip = $null
    if ([System.Net.IPAddress]::TryParse($Name, [ref]$ip)) { return $ip }
    try { return @([System.Net.Dns]::GetHostAddresses($Name))[0] } catch { return $null }
}

function Test-Probe([string]$Target) {
    # one TCP connection attempt: connected / refused (something answered) / timeout / unreachable / unresolved
    $name, $port = Split-Target $Target
    $row = [ordered]@{ Target = $Target; Port = $port; Address = $null; Result = 'error'; Detail = ''; Seconds = 0 }
    $addr = Resolve-Target $name
    if ($null -eq $addr) { $row.Result = 'unresolved'; return [pscustomobject]$row }
    $row.Address = $addr.ToString()
    $client = New-Object System.Net.Sockets.TcpClient($addr.AddressFamily)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        $pending = $client.BeginConnect($addr, $port, $null, $null)
        if (-not $pending.AsyncWaitHandle.WaitOne($timeoutMs)) {
            $row.Result = 'timeout'
        } else {
            try {
                $client.EndConnect($pending)
                $row.Result = 'connected'
            } catch {
                $e = $_.Exception.GetBaseException()
                $code = if ($e -is [System.Net.Sockets.SocketException]) { [string]$e.SocketErrorCode } else { '' }
                $row.Detail = $e.Message
                $row.Result = switch ($code) {
                    'ConnectionRefused' { 'refused' }
                    'TimedOut' { 'timeout' }
                    'NetworkUnreachable' { 'unreachable' }
                    'HostUnreachable' { 'unreachable' }
                    'AccessDenied' { 'unreachable' }
                    default { 'error' }
                }
            }
        }
    } finally {
        $row.Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 3)
        $client.Close()
    }
    return [pscustomobject]$row
}

function Find-Route([string]$Target) {
    # the route Windows would take towards a probe address (Find-NetRoute), or none
    $name, $null = Split-Target $Target
    $row = [ordered]@{ Target = $Target; Address = $null; Route = $false; DestinationPrefix = $null; NextHop = $null
                       InterfaceAlias = $null; Detail = '' }
    $addr = Resolve-Target $name
    if ($null -eq $addr) { $row.Detail = 'unresolved'; return [pscustomobject]$row }
    $row.Address = $addr.ToString()
    if (-not (Get-Command -Name Find-NetRoute -ErrorAction SilentlyContinue)) {
        # Windows 7 / Server 2008 R2: no lookup here (Route stays unknown); the controller looks it up in the
        # route table read from WMI, never taking the missing cmdlet for "no route"
        $row.Route = $null
        $row.Detail = 'Find-NetRoute is not available on this Windows'
        return [pscustomobject]$row
    }
    try {
        $found = @(Find-NetRoute -RemoteIPAddress $row.Address -ErrorAction Stop |
            Where-Object { $_.CimClass.CimClassName -eq 'MSFT_NetRoute' })
        if ($found.Count -gt 0) {
            $row.Route = $true
            $row.DestinationPrefix = $found[0].DestinationPrefix
            $row.NextHop = $found[0].NextHop
            $row.InterfaceAlias = $found[0].InterfaceAlias
        }
    } catch {
        $row.Detail = $_.Exception.Message  # no route: Find-NetRoute finds nothing to match
    }
    return [pscustomobject]$row
}

function Invoke-Capture([scriptblock]$Block) {
    # {out = text} or {out = '', error = why}: a command that fails is reported, never left out
    try {
        $out = & $Block 2>&1
        $errs = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $text = ($out | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Out-String)
        if ($errs.Count -gt 0 -and -not $text.Trim()) {
            return @{ out = ''; error = ($errs | ForEach-Object { $_.ToString() }) -join "`n" }
        }
        return @{ out = $text }
    } catch {
        return @{ out = ''; error = $_.Exception.Message }
    }
}

$started = Get-Date
$raw = @{
    mp_status = Invoke-Capture { Get-MpComputerStatus -ErrorAction Stop | ConvertTo-Json -Depth 2 }
    av_products = Invoke-Capture {
        Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct -ErrorAction Stop |
            ConvertTo-Json -Depth 2
    }
    firewall_profiles = Invoke-Capture {
        # ActiveStore: the policy in force (local settings merged with Group Policy), not the local store alone
        Get-NetFirewallProfile -PolicyStore ActiveStore -ErrorAction Stop |
            Select-Object -Property @('Name', 'Enabled', 'DefaultInboundAction', 'DefaultOutboundAction') |
                ConvertTo-Json
    }
    secedit = Invoke-Capture {
        $f = [System.IO.Path]::GetTempFileName()
        try {
            $null = secedit.exe /export /cfg $f /areas SECURITYPOLICY
            Get-Content -LiteralPath $f -Raw -Encoding Unicode
        } finally {
            Remove-Item -LiteralPath $f -Force -ErrorAction SilentlyContinue
        }
    }
    net_accounts = Invoke-Capture { net.exe accounts }
    usbstor = Invoke-Capture { reg.exe query 'HKLM\SYSTEM\CurrentControlSet\Services\USBSTOR' /v Start }
    screensaver = Invoke-Capture {
        # The desktop users' screen savers: every loaded user hive (S-1-5-21-…) but this WinRM session's own
        # (HKCU here is the auditing account, not the person at the terminal). Group Policy's value wins.
        $me = [System.Security.Principal.WindowsIdentity]::GetCurrent().User.Value
        $users = @(Get-ChildItem -LiteralPath 'Registry::HKEY_USERS' -ErrorAction Stop |
            Where-Object { $_.PSChildName -match '^S-1-5-21-[0-9-]+$' -and $_.PSChildName -ne $me } |
            ForEach-Object {
                $sid = $_.PSChildName
                $own = Get-ItemProperty -LiteralPath "Registry::HKEY_USERS\$sid\Control Panel\Desktop" -ErrorAction SilentlyContinue
                $gpo = Get-ItemProperty -ErrorAction SilentlyContinue `
                    -LiteralPath "Registry::HKEY_USERS\$sid\Software\Policies\Microsoft\Windows\Control Panel\Desktop"
                $row = [ordered]@{ Sid = $sid }
                foreach ($n in 'ScreenSaveActive', 'ScreenSaverIsSecure', 'ScreenSaveTimeOut') {
                    $row[$n] = if ($null -ne $gpo -and $null -ne $gpo.$n) { $gpo.$n } elseif ($null -ne $own) { $own.$n } else { $null }
                }
                [pscustomobject]$row
            })
        ConvertTo-Json -InputObject $users -Depth 2
    }
    inactivity = Invoke-Capture {
        reg.exe query 'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' /v InactivityTimeoutSecs
    }
    autologon = Invoke-Capture {
        reg.exe query 'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon' /v AutoAdminLogon
    }
    listening = Invoke-Capture {
        # Listening TCP sockets and bound UDP endpoints, each with its owning process's name (never a command line)
        $names = @{}
        Get-Process -ErrorAction Stop | ForEach-Object { $names[[int]$_.Id] = $_.ProcessName }
        $rows = @(Get-NetTCPConnection -State Listen -ErrorAction Stop | ForEach-Object {
            [pscustomobject]@{ Protocol = 'TCP'; LocalAddress = $_.LocalAddress; LocalPort = [int]$_.LocalPort
                               Process = $names[[int]$_.OwningProcess] } })
        $rows += @(Get-NetUDPEndpoint -ErrorAction Stop | ForEach-Object {
            [pscustomobject]@{ Protocol = 'UDP'; LocalAddress = $_.LocalAddress; LocalPort = [int]$_.LocalPort
                               Process = $names[[int]$_.OwningProcess] } })
        ConvertTo-Json -InputObject $rows -Depth 2
    }
    time_service = Invoke-Capture {
        # Windows PowerShell 5.1 writes the enums as numbers: Status 4 = Running, StartType 4 = Disabled
        Get-Service -Name W32Time -ErrorAction Stop | Select-Object -Property @('Name', 'Status', 'StartType') |
            ConvertTo-Json
    }
    w32time = Invoke-Capture { reg.exe query 'HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters' }
    w32time_policy = Invoke-Capture {
        # Group Policy's time source wins over the local one; the key is absent where no policy sets it
        reg.exe query 'HKLM\SOFTWARE\Policies\Microsoft\W32Time\Parameters'
    }
    routes = Invoke-Capture {
        # the routes in force (ActiveStore), enums as their names
        $rows = @(Get-NetRoute -PolicyStore ActiveStore -ErrorAction Stop | ForEach-Object {
            [pscustomobject]@{ DestinationPrefix = $_.DestinationPrefix; NextHop = $_.NextHop
                               InterfaceAlias = $_.InterfaceAlias; RouteMetric = [int]$_.RouteMetric
                               AddressFamily = [string]$_.AddressFamily } })
        ConvertTo-Json -InputObject $rows -Depth 2
    }
    adapters = Invoke-Capture {
        # every network adapter, wireless ones (802.11, WWAN, Bluetooth PAN) told by their NDIS physical medium
        $rows = @(Get-NetAdapter -ErrorAction Stop | ForEach-Object {
            [pscustomobject]@{ Name = $_.Name; InterfaceDescription = $_.InterfaceDescription
                               Status = [string]$_.Status; MacAddress = $_.MacAddress
                               PhysicalMediaType = [string]$_.PhysicalMediaType
                               NdisPhysicalMedium = [int]$_.NdisPhysicalMedium } })
        ConvertTo-Json -InputObject $rows -Depth 2
    }
    ip_addresses = Invoke-Capture {
        $rows = @(Get-NetIPAddress -ErrorAction Stop | ForEach-Object {
            [pscustomobject]@{ InterfaceAlias = $_.InterfaceAlias; IPAddress = $_.IPAddress
                               PrefixLength = [int]$_.PrefixLength; PrefixOrigin = [string]$_.PrefixOrigin
                               AddressFamily = [string]$_.AddressFamily } })
        ConvertTo-Json -InputObject $rows -Depth 2
    }
    ip_interfaces = Invoke-Capture {
        # whether each IPv4 interface takes its address from DHCP
        $rows = @(Get-NetIPInterface -AddressFamily IPv4 -ErrorAction Stop | ForEach-Object {
            [pscustomobject]@{ InterfaceAlias = $_.InterfaceAlias; Dhcp = [string]$_.Dhcp
                               ConnectionState = [string]$_.ConnectionState } })
        ConvertTo-Json -InputObject $rows -Depth 2
    }
    legacy_net = Invoke-Capture {
        # Windows 7 and Server 2008 R2 have none of the NetTCPIP, NetAdapter and NetSecurity cmdlets (Windows 8 and
        # Server 2012 brought them): there the network facts come from WMI, the firewall's COM object and netstat.
        # Nothing is printed where the cmdlets exist.
        if (Get-Command -Name Get-NetRoute -ErrorAction SilentlyContinue) { return }
        $fw = New-Object -ComObject HNetCfg.FwPolicy2
        [pscustomobject]@{
            Routes = @(Get-WmiObject -Class Win32_IP4RouteTable -ErrorAction Stop |
                Select-Object -Property @('Destination', 'Mask', 'NextHop', 'InterfaceIndex', 'Metric1'))
            Adapters = @(Get-WmiObject -Class Win32_NetworkAdapter -Filter 'PhysicalAdapter=True' -ErrorAction Stop |
                Select-Object -Property @('InterfaceIndex', 'NetConnectionID', 'Name', 'MACAddress', 'NetEnabled',
                                          'NetConnectionStatus'))
            Configs = @(Get-WmiObject -Class Win32_NetworkAdapterConfiguration -Filter 'IPEnabled=True' -ErrorAction Stop |
                Select-Object -Property @('InterfaceIndex', 'MACAddress', 'IPAddress', 'IPSubnet', 'DHCPEnabled'))
            # the NDIS physical medium of each adapter whose driver is loaded (radios: 1, 8, 9, 10, ...)
            Media = @(Get-WmiObject -Namespace root/wmi -Class MSNdis_PhysicalMediumType -ErrorAction Stop |
                Select-Object -Property @('InstanceName', 'NdisPhysicalMediumType', 'Active'))
            Firewall = @(foreach ($p in @(@{ Name = 'Domain'; Type = 1 }, @{ Name = 'Private'; Type = 2 }, @{ Name = 'Public'; Type = 4 })) {
                [pscustomobject]@{ Name = $p.Name; FirewallEnabled = [bool]$fw.FirewallEnabled($p.Type)
                                   DefaultInboundAction = [int]$fw.DefaultInboundAction($p.Type) } })
            Processes = @(Get-Process -ErrorAction Stop | ForEach-Object { [pscustomobject]@{ Id = [int]$_.Id; Name = $_.ProcessName } })
            Netstat = (netstat.exe -ano | Out-String)
        } | ConvertTo-Json -Depth 4
    }
    route_lookups = Invoke-Capture {
        $rows = @($probes | ForEach-Object { Find-Route $_ })
        ConvertTo-Json -InputObject $rows -Depth 2
    }
    probes = Invoke-Capture {
        $rows = @($probes | ForEach-Object { Test-Probe $_ })
        ConvertTo-Json -InputObject $rows -Depth 2
    }
    event_logs = Invoke-Capture {
        # the logs the rules keep: size, what happens when full (LogMode), and the age of the oldest record
        $rows = @(foreach ($n in @('Security', 'System', 'Application')) {
            $log = Get-WinEvent -ListLog $n -ErrorAction Stop
            $oldest = Get-WinEvent -LogName $n -MaxEvents 1 -Oldest -ErrorAction SilentlyContinue
            [pscustomobject]@{ LogName = $log.LogName; LogMode = [string]$log.LogMode; IsEnabled = [bool]$log.IsEnabled
                               MaximumSizeInBytes = [long]$log.MaximumSizeInBytes; FileSize = [long]$log.FileSize
                               RecordCount = $log.RecordCount
                               OldestAgeDays = if ($null -ne $oldest) {
                                   [math]::Round(((Get-Date) - $oldest.TimeCreated).TotalDays, 1) } else { $null } }
        })
        ConvertTo-Json -InputObject $rows -Depth 2
    }
    local_users = Invoke-Capture {
        # the local accounts through the WinNT provider (every Windows version; Get-LocalUser needs 10/2016):
        # flags, password age and the expiry policy; never a password or a hash, and no logon is tried
        # PasswordLastSet to the 100 ns where Get-LocalUser exists (Windows 10 / Server 2016 and later): the
        # moment kept in the account database, equal only where that database was copied (a cloned image)
        $setAt = @{}
        if (Get-Command -Name Get-LocalUser -ErrorAction SilentlyContinue) {
            Get-LocalUser -ErrorAction Stop | Where-Object { $null -ne $_.PasswordLastSet } | ForEach-Object {
                $setAt[$_.SID.Value] = $_.PasswordLastSet.ToUniversalTime().ToString('o', [System.Globalization.CultureInfo]::InvariantCulture)
            }
        }
        $computer = [ADSI]"WinNT://$env:COMPUTERNAME,computer"
        $rows = @($computer.Children | Where-Object { $_.SchemaClassName -eq 'User' } | ForEach-Object {
            $sid = New-Object System.Security.Principal.SecurityIdentifier(([byte[]]$_.objectSid.Value), 0)
            [pscustomobject]@{ Name = [string]$_.Name.Value; Sid = $sid.Value; UserFlags = [int]$_.UserFlags.Value
                               PasswordAgeSeconds = [long]$_.PasswordAge.Value
                               MaxPasswordAgeSeconds = [long]$_.MaxPasswordAge.Value
                               PasswordExpired = [int]$_.PasswordExpired.Value
                               PasswordLastSet = $setAt[$sid.Value] }
        })
        ConvertTo-Json -InputObject $rows -Depth 2
    }
    remote_access = Invoke-Capture {
        # Remote Desktop (enabled? NLA? security layer) and WinRM (unencrypted traffic allowed?); Group Policy's
        # values (Policy*) win over the local ones
        $ts = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
        $rdp = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp'
        $pol = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
        [pscustomobject]@{
            fDenyTSConnections = Get-RegValue $ts 'fDenyTSConnections'
            PolicyDenyTSConnections = Get-RegValue $pol 'fDenyTSConnections'
            UserAuthentication = Get-RegValue $rdp 'UserAuthentication'
            PolicyUserAuthentication = Get-RegValue $pol 'UserAuthentication'
            SecurityLayer = Get-RegValue $rdp 'SecurityLayer'
            PolicySecurityLayer = Get-RegValue $pol 'SecurityLayer'
            WinRMAllowUnencrypted = [string](Get-Item -LiteralPath 'WSMan:\localhost\Service\AllowUnencrypted' -ErrorAction Stop).Value
            PolicyAllowUnencryptedTraffic = Get-RegValue 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service' 'AllowUnencryptedTraffic'
        } | ConvertTo-Json
    }
    snmp = Invoke-Capture { ConvertTo-Json -InputObject (Get-SnmpCommunities) -Depth 3 }
    wef = Invoke-Capture {
        # Windows Event Forwarding: the subscription managers Group Policy gives (absent where none is set)
        reg.exe query 'HKLM\SOFTWARE\Policies\Microsoft\Windows\EventLog\EventForwarding\SubscriptionManager'
    }
    forwarders = Invoke-Capture {
        # the services that carry forwarded events: WinRM (Windows Event Forwarding) and NXLog, where installed
        $rows = @(foreach ($n in @('WinRM', 'nxlog')) {
            $svc = Get-Service -Name $n -ErrorAction SilentlyContinue
            if ($null -ne $svc) { [pscustomobject]@{ Name = $n; Status = [string]$svc.Status } }
        })
        ConvertTo-Json -InputObject $rows -Depth 2
    }
    nxlog_conf = Invoke-Capture {
        # NXLog's configuration where it is installed (empty output where it is not): only the block tags and the
        # Module, Host and Port lines, so that no key password (KeyPass, HTTPBasicAuthPassword) leaves the host
        foreach ($p in @("$env:ProgramFiles\nxlog\conf\nxlog.conf", "${env:ProgramFiles(x86)}\nxlog\conf\nxlog.conf")) {
            if (Test-Path -LiteralPath $p) {
                (Get-Content -LiteralPath $p -ErrorAction Stop |
                    Where-Object { $_ -match '^\s*(</?\w+|Module\s|Host\s|Port\s)' }) -join "`n"
                break
            }
        }
    }
    port_proxy = Invoke-Capture {
        # netsh interface portproxy's mappings (v4tov4, v4tov6, v6tov4, v6tov6): absent where none was ever added
        reg.exe query 'HKLM\SYSTEM\CurrentControlSet\Services\PortProxy' /s
    }
    nat_mappings = Invoke-Capture {
        # WinNAT's static mappings (Windows 10 / Server 2016 and later) and whether RRAS, whose NAT zicha does not
        # read, is running
        $nat = $null  # (assigned inside the if: an if statement's output would unroll an empty or one-row array)
        if (Get-Command -Name Get-NetNatStaticMapping -ErrorAction SilentlyContinue) {
            $nat = @(Get-NetNatStaticMapping -ErrorAction Stop | ForEach-Object {
                [pscustomobject]@{ Protocol = [string]$_.Protocol; ExternalIPAddress = $_.ExternalIPAddress
                                   ExternalPort = [int]$_.ExternalPort; InternalIPAddress = $_.InternalIPAddress
                                   InternalPort = [int]$_.InternalPort } })
        }
        $rras = Get-Service -Name RemoteAccess -ErrorAction SilentlyContinue
        [pscustomobject]@{ NetNat = $nat; NetNatAvailable = ($null -ne $nat)
                           RemoteAccess = if ($null -ne $rras) { [string]$rras.Status } else { $null } } |
            ConvertTo-Json -Depth 4
    }
    backups = Invoke-Capture {
        # the backups of the repositories the inventory declares: Windows Server Backup's versions (wbadmin get
        # versions; each version identifier is MM/DD/YYYY-HH:MM in UTC, whatever the locale) or the newest files
        # of a folder that backups are copied to
        $rows = @(foreach ($r in $backupRepos) {
            $row = [ordered]@{ Tool = [string]$r['tool']; Repo = [string]$r['repo'] }
            try {
                if ($row.Tool -eq 'wbadmin') {
                    $wbArgs = @('get', 'versions')
                    if ($row.Repo -and $row.Repo -ne 'local') { $wbArgs += "-backupTarget:$($row.Repo)" }
                    $row.Output = (& wbadmin.exe @wbArgs 2>&1 | ForEach-Object { [string]$_ }) -join "`n"
                    $row.ExitCode = $LASTEXITCODE
                } elseif ($row.Tool -eq 'files') {
                    $row.Files = @(Get-ChildItem -LiteralPath $row.Repo -File -Recurse -Force -ErrorAction Stop |
                        Sort-Object -Property LastWriteTimeUtc -Descending | Select-Object -First 20 |
                        ForEach-Object { [pscustomobject]@{ Name = $_.FullName; LastWriteTimeUtc = $_.LastWriteTimeUtc.ToString(
                            'yyyy-MM-dd\THH\:mm\:ss\Z', [System.Globalization.CultureInfo]::InvariantCulture) } })
                } else {
                    $row.Error = "backup tool '$($row.Tool)' is not read on Windows (wbadmin or files)"
                }
            } catch {
                $row.Error = $_.Exception.Message
            }
            [pscustomobject]$row
        })
        ConvertTo-Json -InputObject $rows -Depth 4
    }
    restore_log = Invoke-Capture {
        # the restore tests recorded on this computer: JSON lines, as `zicha restore-test` writes them on Linux
        $present = Test-Path -LiteralPath $restoreLog -PathType Leaf
        $content = if ($present) { Get-Content -LiteralPath $restoreLog -Raw -Encoding UTF8 -ErrorAction Stop } else { '' }
        [pscustomobject]@{ Path = $restoreLog; Present = $present; Text = [string]$content } | ConvertTo-Json
    }
    updates = Invoke-Capture {
        $session = New-Object -ComObject Microsoft.Update.Session
        $session.CreateUpdateSearcher().Search("IsInstalled=0 and Type='Software'").Updates |
            Select-Object -Property @('Title', 'MsrcSeverity', @{ n = 'KBArticleIDs'; e = { @($_.KBArticleIDs) } }) |
            ConvertTo-Json
    }
}
# ---- end of the module's code ----

$collectedAt = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd\THH\:mm\:ss\Z', [System.Globalization.CultureInfo]::InvariantCulture)
$rawDoc = @{
    schema = 'zicha.raw/v1'
    platform = 'windows'
    collected_at = $collectedAt
    collector = @{ name = 'zicha-collect.ps1'; version = $zichaVersion
                   milliseconds = [long]((Get-Date) - $started).TotalMilliseconds }
    raw = $raw
}
$attributes = @{ zicha_platform = 'windows'; zicha_role = $Role; zicha_classified = [bool]$Classified }
if ($Zone) { $attributes['zicha_zone'] = $Zone }
$machineId = $null
try {
    $machineId = [string](Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Cryptography' -Name MachineGuid -ErrorAction Stop).MachineGuid
} catch { $machineId = $null }
$utf8 = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
$doc = @{
    schema = 'zicha.collected/v1'
    host = $HostName
    attributes = $attributes
    collector = @{ tool = "zicha-collect.ps1 $zichaVersion"; user = $runner.Name; hostname = $env:COMPUTERNAME
                   machine_id = $machineId }
    collected_at = $collectedAt
    raw = $rawDoc
    sha256 = (Get-Sha256Hex $utf8.GetBytes((ConvertTo-ZichaCanonicalJson $rawDoc)))
    signature = @{ algorithm = 'rsa-sha256'; key_fingerprint = [string]$key.key_fingerprint }
}
$signature = $rsa.SignData($utf8.GetBytes((ConvertTo-ZichaCanonicalJson $doc)), 'SHA256')
$doc.signature['value'] = [System.Convert]::ToBase64String($signature)
$rsa.Clear()

if (-not $OutFile) { $OutFile = Join-Path -Path $PSScriptRoot -ChildPath "$HostName.json" }
# .NET resolves a relative path against its own current folder (often System32), not PowerShell's location
$OutFile = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
[System.IO.File]::WriteAllText($OutFile, (ConvertTo-ZichaCanonicalJson $doc) + "`n", $utf8)
$unread = @($raw.Keys | Where-Object { $raw[$_].error } | Sort-Object)
Write-Output ("zicha-collect: {0}: {1} outputs, sha256 {2}, signed by {3} -> {4}" -f $HostName, $raw.Count,
    $doc.sha256.Substring(0, 16), $key.key_fingerprint, $OutFile)
if ($unread.Count -gt 0) {
    Write-Warning ("zicha-collect: not readable here: {0} (the rules that need them will say error)" -f ($unread -join ', '))
}
