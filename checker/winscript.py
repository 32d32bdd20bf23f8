"""zicha-collect.ps1: the collector for an air-gapped Windows computer, made from the Ansible module's own code.

The script gathers with exactly the code `zicha_windows_facts.ps1` runs over WinRM (copied between its shared
marks, so the two cannot drift apart), then writes the `zicha.collected/v1` file that `zicha collect` writes on
Linux: the raw document, its sha256 in canonical JSON, and an RSA signature (rsa-sha256: Windows PowerShell 5.1
signs on .NET Framework, which has neither Ed25519 nor SM2) by the collector key of `zicha keygen --algorithm
rsa-sha256` over the canonical JSON of the whole file. `zicha audit --import` checks all three as for Linux.

Canonical JSON is Python's `json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))` in UTF-8: keys
in ordinal order, only `"`, `\\` and the control characters escaped (the short forms \\b \\f \\n \\r \\t, else \\u00xx),
integers as digits. The script writes no floating-point number (the collector's time is in milliseconds) and stops
on any value it cannot write exactly, rather than write a file that will not verify.

`make setup` writes the script with the default parameters to `collectors/zicha-collect.ps1` (made, not kept in
the repository: the module is its one source); `zicha collect-script` makes one with this deployment's internet
probes and weak-community candidates.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from checker import __version__
from checker.errors import SetupError

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "playbooks" / "library" / "zicha_windows_facts.ps1"
SHIPPED = ROOT / "collectors" / "zicha-collect.ps1"  # made by `make setup`
BEGIN, END = "# >>> shared with zicha-collect.ps1", "# <<< shared with zicha-collect.ps1"


def shared_body(module: str | None = None) -> str:
    """The module's collection code, between its marks."""
    text = MODULE.read_text(encoding="utf-8") if module is None else module
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise SetupError(f"{MODULE}: the shared marks ({BEGIN!r} … {END!r}) are missing or out of order")
    start = text.index("\n", text.index(BEGIN)) + 1
    return text[start:text.index(END)].rstrip() + "\n"


def _ps_string(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _ps_b64_json(value: Any) -> str:
    """A value as base64 of its UTF-8 JSON: the script stays ASCII whatever the candidates hold."""
    return _ps_string(base64.b64encode(json.dumps(value, ensure_ascii=False).encode("utf-8")).decode("ascii"))


HEADER = r"""<#
.SYNOPSIS
    zicha-collect.ps1 @@VERSION@@: collect the facts of an air-gapped (涉密) Windows computer for zicha, read-only.

.DESCRIPTION
    Runs on Windows PowerShell 5.1 (Windows 7 SP1 with WMF 5.1, 8.1, 10, 11; Server 2012 R2 to 2022) from a USB
    stick, with nothing installed. Run it as administrator (secedit and the Security log need it). It writes
    HOST.json beside itself (or -OutFile): the commands' own outputs, their sha256 and an RSA signature by the
    collector key. Carry the file back and import it: zicha audit --import DIR --collector-key collector.pub.
    Nothing here reads a password or a hash; SNMP communities are judged here and only the verdict is written.
    Made by zicha @@VERSION@@ (zicha collect-script) from the code its WinRM module runs; do not edit it by hand.

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
    [string[]]$InternetProbe = @(@@PROBES@@),
    [int]$ProbeTimeout = @@TIMEOUT@@,
    # backups, where the inventory marks the PC zicha_backup_required: wbadmin targets (E:, \\nas\share, or local)
    # and folders that backups are copied to; the restore tests recorded on the PC
    [string[]]$BackupTarget = @(),
    [string[]]$BackupFolder = @(),
    [string]$RestoreLog = 'C:\ProgramData\zicha\restore-tests.jsonl'
)

$ErrorActionPreference = 'Continue'
$zichaVersion = '@@VERSION@@'

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
foreach ($c in @([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String(@@DEFAULTS@@)) |
        ConvertFrom-Json | ForEach-Object { $_ })) { $defaultCommunities[[string]$c] = $true }
$weakCommunities = New-Object 'System.Collections.Generic.HashSet[string]' ([System.StringComparer]::Ordinal)
foreach ($c in @([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String(@@CANDIDATES@@)) |
        ConvertFrom-Json | ForEach-Object { $_ })) { $null = $weakCommunities.Add([string]$c) }

$backupRepos = @(@($BackupTarget | Where-Object { $_ } | ForEach-Object { @{ tool = 'wbadmin'; repo = $_ } }) +
    @($BackupFolder | Where-Object { $_ } | ForEach-Object { @{ tool = 'files'; repo = $_ } }))
$restoreLog = $RestoreLog

# ---- the module's collection code (zicha_windows_facts.ps1), unchanged ----
"""

FOOTER = r"""# ---- end of the module's code ----

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
"""


def render(internet_probes: list[str], probe_timeout: int, weak_communities: list[str],
           default_communities: list[str], module: str | None = None) -> str:
    """The whole script, CRLF line ends, as Windows tools expect."""
    text = (HEADER.replace("@@VERSION@@", __version__)
            .replace("@@PROBES@@", ", ".join(_ps_string(p) for p in internet_probes))
            .replace("@@TIMEOUT@@", str(int(probe_timeout)))
            .replace("@@DEFAULTS@@", _ps_b64_json(list(default_communities)))
            .replace("@@CANDIDATES@@", _ps_b64_json(list(weak_communities)))
            + shared_body(module) + FOOTER)
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def render_for(params: dict[str, Any], internet_probes: list[str] | None = None) -> str:
    """The script with this deployment's parameters."""
    from ansible_collections.zicha.audit.plugins.module_utils.zicha_candidates import DEFAULT_COMMUNITIES

    from checker.config import collector_params

    cp = collector_params(params)
    return render(internet_probes if internet_probes is not None else list(cp["internet_probes"]),
                  cp["probe_timeout_seconds"], list(cp["weak_passwords"]), list(DEFAULT_COMMUNITIES))


def write(path: Path, text: str) -> None:
    """UTF-8 with a byte-order mark: Windows PowerShell 5.1 reads a script without one in the ANSI code page."""
    from checker import fsio

    fsio.write_bytes(path, b"\xef\xbb\xbf" + text.encode("utf-8"), mode=0o644)


def document(raw: dict[str, Any], host: str, attributes: dict[str, Any], key_path: Path, collected_at: str,
             milliseconds: int, collector: dict[str, Any]) -> dict[str, Any]:
    """The file zicha-collect.ps1 writes (its last part, in Python), from the same outputs: the same fields, the
    same canonical JSON hashed and signed. The lab's Windows terminals and the tests make theirs this way from
    recorded outputs, since no Windows host runs here."""
    from checker import offline

    raw_doc = {"schema": "zicha.raw/v1", "platform": "windows", "collected_at": collected_at,
               "collector": {"name": "zicha-collect.ps1", "version": __version__, "milliseconds": milliseconds},
               "raw": raw}
    doc = {"schema": offline.SCHEMA, "host": host, "attributes": {"zicha_platform": "windows", **attributes},
           "collector": collector, "collected_at": collected_at, "raw": raw_doc, "sha256": offline.digest(raw_doc)}
    return offline.sign(doc, key_path)
