"""H3C Comware 5 and 7 switches, routers and SecPath firewalls."""

from checker.platforms import DeviceCli, Gathering, Platform

PLATFORM = Platform(
    id="h3c_comware", kind="device", title={"zh": "新华三 Comware", "en": "H3C Comware"},
    gathering=Gathering(play="network", module="zicha.audit.netdev_facts"),
    network_os=("comware", "h3c_comware"),
    cli=DeviceCli(language="comware", netmiko="hp_comware", config_command="display current-configuration",
                  mac_command="display mac-address", ntc_platform="hp_comware"),
)
