"""The lab's estate: its zones and addresses, its hosts and what each is built to prove, and the files and
daemons they get. lab.py builds it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

PREFIX = "zl-"  # every namespace and root-side link of the lab starts with this
FW = PREFIX + "fw"
INET = PREFIX + "inet"
ADMIN_LINK = PREFIX + "admin"  # root namespace side of the management link

ZONES = {
    # zone: (subnet prefix, the firewall's address in it)
    "admin": ("10.251.99", "10.251.99.1"),
    "office": ("10.251.10", "10.251.10.1"),
    "dmz": ("10.251.20", "10.251.20.1"),
    "classified": ("10.251.30", "10.251.30.1"),
    "internet": ("203.0.113", "203.0.113.1"),
}
CONTROLLER = "10.251.99.2"
INTERNET_SERVICE = "203.0.113.10"

USB_BLOCK = "install usb-storage /bin/false\nblacklist usb-storage\ninstall uas /bin/false\nblacklist uas\n"
STRONG = "Zc!9vQ2#rLp7xW"  # the lab's 'strong' password (not a secret: a lab fixture)


@dataclass
class Nic:
    zone: str
    address: str  # last octet


@dataclass
class LinuxHost:
    name: str
    nics: list[Nic]
    routes: list[tuple[str, str]]  # (destination, via)
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (name, password, hash scheme: yescrypt|SHA512)
    usb_blocked: bool = False
    host_firewall_drop: bool = False
    restic: str | None = None  # "fresh" | "old"
    restore_test_days_ago: int | None = None
    reachable: bool = True  # False: air-gapped, collected with `zicha collect` and imported
    netns: str | None = None  # an existing namespace to live in (the firewall), instead of its own
    listen: str | None = None  # sshd's address when the host has no NIC of its own making
    hardened: bool = False  # password policy, half-year log rotation, shell timeout in its /etc
    etc: dict[str, str] = field(default_factory=dict)  # more files of its own /etc (path below /etc: text)
    services: list[str] = field(default_factory=list)  # real daemons to run in it (see SERVICES)


def _nic(zone: str, last: int) -> Nic:
    return Nic(zone, f"{ZONES[zone][0]}.{last}")


def _gw(zone: str) -> str:
    return ZONES[zone][1]


ADMIN_NET = "10.251.99.0/24"

HOSTS = [
    # The firewall/router between the zones (the nftables namespace itself), managed over SSH from admin.
    LinuxHost("fw-core", [], [], users=[("ops", STRONG, "yescrypt")], netns=FW, listen=ZONES["admin"][1]),
    # A finance server whose backups are fresh and whose restores are tested, hardened by the book.
    LinuxHost("srv-fin", [_nic("dmz", 5)], [("default", _gw("dmz"))],
              users=[("ops", STRONG, "yescrypt")], host_firewall_drop=True, restic="fresh", restore_test_days_ago=3,
              hardened=True),
    # An archive server: only a three-month-old backup, and an accountant's account with a weak password.
    LinuxHost("srv-archive", [_nic("dmz", 6)], [("default", _gw("dmz"))],
              users=[("ops", STRONG, "yescrypt"), ("kuaiji", "Admin@123", "yescrypt")], restic="old",
              restore_test_days_ago=95),
    # A server with a leg in the office and a leg in the DMZ: the zones are bridged past the firewall.
    LinuxHost("srv-dual", [_nic("dmz", 7), _nic("office", 7)], [("default", _gw("dmz"))],
              users=[("ops", STRONG, "yescrypt")], host_firewall_drop=True),
    # Office terminals: one locked down, one with USB storage open and a user whose password is his name.
    LinuxHost("pc-office-1", [_nic("office", 21)], [("default", _gw("office"))],
              users=[("wangwu", STRONG, "yescrypt")], usb_blocked=True),
    LinuxHost("pc-office-2", [_nic("office", 22)], [("default", _gw("office"))],
              users=[("zhangsan", "zhangsan", "SHA512"), ("guest", STRONG, "yescrypt")], services=["rsyncd"]),
    # Classified terminals: one with no way out; one with a second NIC straight into the internet zone.
    LinuxHost("pc-secret-1", [_nic("classified", 11)], [(ADMIN_NET, _gw("classified"))],
              users=[("lisi", STRONG, "yescrypt")], usb_blocked=True,
              etc={"network/interfaces": "auto eth0\niface eth0 inet static\n    address 10.251.30.11/24\n"}),
    LinuxHost("pc-secret-2", [_nic("classified", 12), _nic("internet", 50)],
              [(ADMIN_NET, _gw("classified")), ("default", _gw("internet"))],
              users=[("zhaoliu", STRONG, "yescrypt")],
              etc={"network/interfaces": "auto eth0\niface eth0 inet static\n    address 10.251.30.12/24\n"
                                         "auto eth1\niface eth1 inet dhcp\n"}),
    # An air-gapped classified terminal: no route to anything; its facts are collected on it and imported.
    LinuxHost("pc-secret-3", [_nic("classified", 13)], [], users=[("sunqi", STRONG, "yescrypt")],
              usb_blocked=True, reachable=False),
]

# More office terminals for the gathering benchmark (bench/gather.py): ZICHA_LAB_EXTRA=N adds N plain ones,
# pc-bench-00 … (10.251.10.100 and up), each with one user. The lab's own inventory does not list them.
EXTRA = [LinuxHost(f"pc-bench-{i:02d}", [_nic("office", 100 + i)], [("default", _gw("office"))],
                   users=[(f"user{i:02d}", STRONG, "yescrypt")])
         for i in range(min(int(os.environ.get("ZICHA_LAB_EXTRA", "0") or 0), 100))]
HOSTS += EXTRA

# The files a hardened host's /etc gets: what the reports claim, in each tool's own syntax.
HARDENED_ETC = {
    "security/pwquality.conf": "minlen = 8\nminclass = 3\n",
    "pam.d/common-password": (
        "password requisite pam_pwquality.so retry=3\n"
        "password [success=1 default=ignore] pam_unix.so obscure use_authtok try_first_pass yescrypt\n"
        "password requisite pam_deny.so\n"
        "password required pam_permit.so\n"),
    "pam.d/common-auth": (
        "auth required pam_faillock.so preauth\n"
        "auth [success=1 default=ignore] pam_unix.so nullok\n"
        "auth [default=die] pam_faillock.so authfail\n"
        "auth requisite pam_deny.so\n"
        "auth required pam_permit.so\n"),
    "security/faillock.conf": "deny = 5\nunlock_time = 600\n",
    "logrotate.conf": "weekly\nrotate 26\ncreate\ninclude /etc/logrotate.d\n",
    "logrotate.d/rsyslog": (
        "/var/log/syslog\n/var/log/messages\n/var/log/auth.log\n{\n\trotate 26\n\tweekly\n"
        "\tmissingok\n\tcompress\n}\n"),
    "profile.d/zicha-tmout.sh": "readonly TMOUT=600\nexport TMOUT\n",
}

# Real daemons a lab host runs besides sshd: (command, pid file under /run)
SERVICES = {
    # an rsync daemon sharing /tmp: a high-risk service nobody needs on a terminal
    "rsyncd": ("rsync --daemon --config=/etc/rsyncd.conf", "rsyncd.conf",
               "pid file = /run/rsyncd.pid\nport = 873\n[tmp]\n\tpath = /tmp\n\tread only = yes\n"),
}

NFT_FIREWALL = """
table inet zicha_lab {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    iifname "%(admin)s" accept comment "management from the admin zone"
    iifname "br-office" oifname "br-internet" accept
    iifname "br-dmz" oifname "br-internet" accept
    iifname "br-office" oifname "br-dmz" tcp dport { 80, 443 } accept
  }
}
""" % {"admin": "to-admin"}

NFT_HOST_DROP = """
table inet host {
  chain input {
    type filter hook input priority 0; policy drop;
    ct state established,related accept
    iifname "lo" accept
    tcp dport 22 accept
    icmp type echo-request accept
  }
}
"""
