"""Huawei USG firewalls (USG6000, Eudemon): VRP underneath, with security policies, zones and NAT servers."""

from checker.platforms import DeviceCli, Gathering, Platform

PLATFORM = Platform(
    id="huawei_usg", kind="device", title={"zh": "华为 USG 防火墙", "en": "Huawei USG"},
    gathering=Gathering(play="network", module="zicha.audit.netdev_facts"),
    network_os=("huawei_usg",),
    cli=DeviceCli(language="huawei", netmiko="huawei", config_command="display current-configuration"),
)
