"""Windows terminals and servers: Ansible over WinRM runs a PowerShell collector that returns each command's own
output; checker/windows/ turns that text into facts on the controller."""

from checker.platforms import Gathering, Platform


def _normalize(raw):
    from checker import windows

    return windows.facts(raw["raw"]) if isinstance(raw.get("raw"), dict) else raw.get("facts")


PLATFORM = Platform(
    id="windows", kind="computer", title={"zh": "Windows", "en": "Windows"},
    gathering=Gathering(play="windows", module="zicha_windows_facts"),
    connections=("winrm", "psrp", "ansible.builtin.winrm", "ansible.builtin.psrp"),
    normalize=_normalize,
)
