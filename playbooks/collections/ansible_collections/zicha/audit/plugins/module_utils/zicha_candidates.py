# -*- coding: utf-8 -*-
# zicha: the passwords every collector tries, and the SNMP communities every scanner tries. One definition for
# the Linux collector and for the network device parsers (checker.devices.credentials imports it from here).
# Runs on the target's own Python (3.6 and newer).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

#: SNMP communities that are defaults or guesses on every scanner's list (compared without regard to case).
DEFAULT_COMMUNITIES = ("public", "private", "community", "snmp", "snmpd", "huawei", "h3c", "cisco", "admin",
                       "manager", "security", "monitor", "read", "write", "secret", "test", "default", "mngt",
                       "netman", "ILMI", "all private")
_DEFAULT_LOWER = frozenset(c.lower() for c in DEFAULT_COMMUNITIES)


def is_default_community(community):
    """Is this community one of the defaults (in any case)."""
    return community.lower() in _DEFAULT_LOWER


def candidates(user, params):
    """Candidate weak passwords for one account, most likely first; each with the reason it is weak.

    params: weak_passwords (the list), org_names (the organisation's names and abbreviations) and org_years
    (first and last year tried with them)."""
    seen = set()
    out = []

    def add(pw, why):
        if pw not in seen:
            seen.add(pw)
            out.append((pw, why))

    for form in (user, user.capitalize(), user.upper(), user + user, user[::-1]):
        add(form, "same_as_username")
    for suffix in ("123", "@123", "#123", "123456", "1234", "!@#", "@2024", "@2025", "@2026"):
        add(user + suffix, "username_pattern")
        add(user.capitalize() + suffix, "username_pattern")
    for pw in params.get("weak_passwords") or []:
        add(pw, "weak_list")
    years = params.get("org_years") or []
    if len(years) == 2:
        years = range(int(years[0]), int(years[1]) + 1)
    for org in params.get("org_names") or []:
        # as written, lower case and capitalised; alone, and with a year after "", "@" or "#"
        # (the forms offices use: xxjy2024, Xxjy@2024); each yescrypt guess costs ~20 ms on the host
        for form in sorted({org, org.lower(), org.capitalize()}):
            add(form, "org_name")
            for y in years:
                for sep in ("", "@", "#"):
                    add("%s%s%d" % (form, sep, y), "org_name_year")
    return out
