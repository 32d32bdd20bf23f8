"""Huawei VRP switches and routers (S-series, AR; VRP V100-V200, VRP8)."""

from checker.platforms import DeviceCli, Gathering, Platform

PLATFORM = Platform(
    id="huawei_vrp", kind="device", title={"zh": "华为 VRP", "en": "Huawei VRP"},
    gathering=Gathering(play="network", module="zicha.audit.netdev_facts"),
    network_os=("ce", "community.network.ce", "huawei_vrp"),
    cli=DeviceCli(language="huawei", netmiko="huawei", config_command="display current-configuration",
                  mac_command="display mac-address", ntc_platform="huawei_vrp"),
)
