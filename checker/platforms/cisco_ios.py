"""Cisco IOS and IOS-XE switches and routers."""

from checker.platforms import DeviceCli, Gathering, Platform

PLATFORM = Platform(
    id="cisco_ios", kind="device", title={"zh": "思科 IOS", "en": "Cisco IOS"},
    gathering=Gathering(play="network", module="zicha.audit.netdev_facts"),
    network_os=("ios", "cisco.ios.ios"),
    cli=DeviceCli(language="ios", netmiko="cisco_ios", config_command="show running-config",
                  mac_command="show mac address-table", ntc_platform="cisco_ios"),
)
