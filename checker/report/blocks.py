"""The report's vocabulary (verdict words, roles, zones) and its blocks: what every renderer lays out."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from checker import catalog
from checker.models import AuditReport, Result
from checker.unit import BLANK, person

# -- vocabulary ---------------------------------------------------------------------------------------------------

VERDICTS = {
    "zh": {"pass": "符合", "partial": "部分符合", "fail": "不符合", "na": "不适用", "unverified": "未能核实",
           "not_attested": "未核验"},
    "en": {"pass": "compliant", "partial": "partly compliant", "fail": "not compliant", "na": "not applicable",
           "unverified": "not verified", "not_attested": "not attested"},
}
MANUAL_VERDICTS = {  # a manual clause: in place or not; a GAP-* clause: the problem is there or not
    "zh": {"pass": "已落实", "fail": "未落实", "unverified": "未能核实", "not_attested": "未核验"},
    "en": {"pass": "in place", "fail": "not in place", "unverified": "not verified", "not_attested": "not attested"},
}
GAP_VERDICTS = {
    "zh": {"pass": "不存在", "fail": "存在", "unverified": "未能核实", "not_attested": "未核验"},
    "en": {"pass": "absent", "fail": "present", "unverified": "not verified", "not_attested": "not attested"},
}
STATUS = {
    "zh": {"pass": "符合", "fail": "不符合", "error": "未能核实", "not_applicable": "不适用", "waived": "已豁免",
           "manual": "未核验"},
    "en": {"pass": "pass", "fail": "fail", "error": "error", "not_applicable": "n/a", "waived": "waived",
           "manual": "not attested"},
}
ROLE_ORDER = ("terminal", "server", "switch", "firewall", "router")
ROLES = {"zh": {"server": "服务器", "terminal": "终端", "switch": "交换机", "firewall": "防火墙", "router": "路由器"},
         "en": {"server": "servers", "terminal": "terminals", "switch": "switches", "firewall": "firewalls",
                "router": "routers"}}
ROLE_ONE = {"server": "server", "terminal": "terminal", "switch": "switch", "firewall": "firewall", "router": "router"}
#: Chinese names of the zone names inventories use; the unit profile's zone_names add its own
ZONES_ZH = {
    "internet": "互联网", "dmz": "隔离区", "office": "办公区", "private": "业务专网", "classified": "涉密区",
    "secret": "涉密区", "admin": "管理区", "management": "管理区", "mgmt": "管理区", "boundary": "边界区",
    "server": "服务器区", "servers": "服务器区", "datacenter": "数据中心", "dc": "数据中心", "core": "核心区",
    "guest": "访客区", "wireless": "无线网络", "wifi": "无线网络", "wlan": "无线网络", "lab": "实验区",
    "test": "测试区", "intranet": "内网", "extranet": "外网", "business": "业务区", "video": "视频专网",
    "teaching": "教学区", "campus": "校园网", "dormitory": "宿舍区", "monitoring": "监控区", "ops": "运维区",
}
METHODS = {"zh": {"ansible": "远程采集", "import": "离线采集导入", "snapshot": "配置备份", "local": "本机采集"},
           "en": {"ansible": "remote", "import": "collected offline", "snapshot": "configuration backup",
                  "local": "local"}}
ORDINALS = "一二三四五六七八九十"
HOST_ORDER = ("fail", "error", "waived", "pass", "not_applicable")  # a host's status on a clause: the worst
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def _clean(text: Any) -> str:
    """Text as every renderer can carry it: no control characters (XML, and so DOCX, refuses them)."""
    return str(text).translate(_CONTROL) if text is not None else ""


def ordinal(i: int) -> str:
    """一 二 … 十 十一 … 二十 (for 一是、（一）)."""
    if i < 10:
        return ORDINALS[i]
    tens, ones = divmod(i + 1, 10)
    return (ORDINALS[tens - 1] if tens > 1 else "") + "十" + (ORDINALS[ones - 1] if ones else "")


def join_zh(items: list[str]) -> str:
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else "、".join(items[:-1]) + "和" + items[-1] if items else ""


def join_en(items: list[str]) -> str:
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


# -- blocks: what the renderers lay out ---------------------------------------------------------------------------


@dataclass
class Block:
    pass


@dataclass
class Marking(Block):
    text: str


@dataclass
class Title(Block):
    text: str


@dataclass
class Addressee(Block):
    text: str


@dataclass
class Heading(Block):
    level: int  # 1: 一、 2: （一）
    text: str


@dataclass
class Para(Block):
    text: str
    indent: bool = True


@dataclass
class AttachmentList(Block):
    label: str
    items: list[str]


@dataclass
class Signature(Block):
    unit: str
    date: str
    seal: str


@dataclass
class Note(Block):
    text: str


@dataclass
class AppendixTitle(Block):
    """Starts an appendix on a new page; the first one ends the body."""
    label: str
    title: str


@dataclass
class Table(Block):
    head: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths


@dataclass
class Charts(Block):
    """Compliance by clause, by zone and by kind of host (the HTML draws them)."""
    by_clause: dict[str, dict[str, int]]
    by_zone: dict[str, dict[str, int]]
    by_kind: dict[str, dict[str, int]]



@dataclass
class Finding:
    clause: str
    kind: str  # automated | manual | gap | unverified
    text: str  # the sentence in 三、存在的问题
    short: str  # the finding alone, for 四、整改措施
    count: int  # hosts (automated)
    hosts: list[tuple[str, str, str]] = field(default_factory=list)  # host, why, rules (appendix 2)


@dataclass
class Plan:
    clause: str
    finding: str
    measure: str
    owner: str
    deadline: str
