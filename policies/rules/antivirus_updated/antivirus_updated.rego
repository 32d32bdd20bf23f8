# METADATA
# title: 安装防病毒软件并及时更新病毒库
# description: |
#   Every server and terminal runs antivirus software whose signatures are current: a product is
#   running (or, on Windows, reported enabled) and its newest signatures are no older than
#   antivirus_max_signature_age_days (or the product itself reports them up to date). A product whose
#   signature date zicha cannot read is an error, not a pass. No product, or none running, disproves
#   AV-INSTALLED; stale or unreadable signatures only AV-SIGNATURES-UPDATED (a host with no antivirus has
#   no current signatures either).
# custom:
#   id: ANTIVIRUS-UPDATED
#   title_en: Antivirus is installed and its signatures are current
#   severity: high
#   clauses: [AV-INSTALLED, AV-SIGNATURES-UPDATED]
#   applies_to:
#     zh: 服务器和终端（Linux、Windows）
#     en: servers and terminals (Linux, Windows)
#   remediation:
#     zh: 安装单位统一的防病毒软件（终端安全管理系统），开启实时防护，配置病毒库自动更新（内网可用升级服务器），并检查更新为何停止。
#     en: >-
#       Install the unit's antivirus (endpoint security system) with real-time protection on and automatic signature updates (from an internal
#       update server where needed); find out why updates stopped.
package zicha.rules.antivirus_updated

import data.zicha.lib.hosts

meta := rego.metadata.chain()

max_days := data.zicha.params.antivirus_max_signature_age_days

day_ns := ((24 * 60) * 60) * 1000000000

applicable contains name if {
	some name, host in input.hosts
	hosts.is_computer(host)
}

needs[name] := {"antivirus"} if some name in applicable

products(host) := host.facts.antivirus.value.products

age_days(p) := (time.parse_rfc3339_ns(input.now) - time.parse_rfc3339_ns(p.signatures_updated_at)) / day_ns

fresh(p) if p.signatures_up_to_date == true

fresh(p) if {
	is_string(object.get(p, "signatures_updated_at", null))
	age_days(p) <= max_days
}

stale(p) if p.signatures_up_to_date == false

stale(p) if {
	is_string(object.get(p, "signatures_updated_at", null))
	age_days(p) > max_days
}

good(host) := [p.product | some p in products(host); p.enabled == true; fresh(p)]

violations[name] contains msg if {
	some name in applicable
	count(products(input.hosts[name])) == 0
	msg := {"zh": "未安装防病毒软件", "en": "no antivirus software is installed", "clauses": ["AV-INSTALLED", "AV-SIGNATURES-UPDATED"]}
}

violations[name] contains msg if {
	some name in applicable
	count(good(input.hosts[name])) == 0
	some p in products(input.hosts[name])
	p.enabled != true
	msg := {
		"zh": sprintf("防病毒软件 %s 未运行（实时防护未开启）", [p.product]),
		"en": sprintf("antivirus %s is not running (no real-time protection)", [p.product]),
		"clauses": ["AV-INSTALLED"],
	}
}

violations[name] contains msg if {
	some name in applicable
	count(good(input.hosts[name])) == 0
	some p in products(input.hosts[name])
	stale(p)
	msg := {
		"zh": sprintf("防病毒软件 %s 的病毒库未及时更新（%s）", [p.product, age_text(p).zh]),
		"en": sprintf("the signatures of %s are out of date (%s)", [p.product, age_text(p).en]),
		"clauses": ["AV-SIGNATURES-UPDATED"],
	}
}

age_text(p) := {
	"zh": sprintf("%d 天前，超过 %d 天", [floor(age_days(p)), max_days]),
	"en": sprintf("%d days old, more than %d", [floor(age_days(p)), max_days]),
} if {
	is_string(object.get(p, "signatures_updated_at", null))
}

age_text(p) := {"zh": "产品自报已过期", "en": "reported out of date by the product"} if {
	not is_string(object.get(p, "signatures_updated_at", null))
}

errors[name] contains msg if {
	some name in applicable
	count(good(input.hosts[name])) == 0
	some p in products(input.hosts[name])
	p.enabled == true
	not fresh(p)
	not stale(p)
	msg := {
		"zh": sprintf("无法获知 %s 的病毒库日期%s", [p.product, why(p, "：")]),
		"en": sprintf("the signature date of %s cannot be read%s", [p.product, why(p, ": ")]),
		"clauses": ["AV-SIGNATURES-UPDATED"],
	}
}

# why a product's signature date is unknown, where its facts say
why(p, sep) := concat("", [sep, p.signatures_error]) if is_string(object.get(p, "signatures_error", null))

else := ""

observed[name] := [{
	"product": p.product,
	"enabled": p.enabled,
	"signatures_updated_at": object.get(p, "signatures_updated_at", null),
	"signatures_up_to_date": object.get(p, "signatures_up_to_date", null),
} |
	some p in products(input.hosts[name])
] if some name in applicable
