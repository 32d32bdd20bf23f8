"""Linux servers and terminals (Debian, UOS, Kylin; RHEL, openEuler): Ansible over SSH runs the collector on the
host; an air-gapped host runs the same collector with `zicha collect`."""

from checker.platforms import Gathering, Platform

PLATFORM = Platform(
    id="linux", kind="computer", title={"zh": "Linux", "en": "Linux"},
    gathering=Gathering(play="linux", module="zicha.audit.linux_facts"),
    offline=True,
)
