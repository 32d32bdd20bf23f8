# zicha — make targets explain themselves: `make help`.
# The two commands a new user needs: `make audit` and `make test`. Each sets up what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
ZICHA := $(VENV)/bin/zicha
OPA := .tools/bin/opa
REGAL := .tools/bin/regal
PYTEST_ARGS ?=

.PHONY: help setup setup-system audit test test-rego test-python lint lint-rego lint-python fmt clean lab-up lab-down demo new-rule report-sample bench

help: ## show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: ## install the pinned .venv and OPA (idempotent); make collectors/zicha-collect.ps1
	@scripts/setup.sh venv opa
	@mkdir -p collectors && $(VENV)/bin/python -m checker collect-script --out collectors/zicha-collect.ps1 > /dev/null

setup-system: ## install the Debian packages the tests and the lab use (root)
	@scripts/setup.sh system

audit: setup ## audit the default inventory (this machine); INVENTORY=... ARGS=... to change
	@$(ZICHA) audit --inventory $(or $(INVENTORY),inventory/local.yml) $(ARGS); rc=$$?; \
	  case $$rc in 0) ;; \
	    1) echo "zicha audit: exit 1, some rules failed or could not be checked (不符合或无法核验，见上表)" >&2 ;; \
	    *) echo "zicha audit: exit $$rc, the audit could not finish (自查未能完成)" >&2 ;; esac; exit $$rc

test: setup setup-system ## lint and test the Rego (with coverage), then pytest
	@scripts/setup.sh regal sarif
	@$(MAKE) --no-print-directory test-rego lint-rego lint-python test-python

REGO_DATA := .tools/rego-test-data.json

test-rego: ## opa fmt/check, opa test (with the shipped parameters), Rego coverage
	@$(OPA) fmt --fail --list policies >/dev/null || { echo "opa fmt would rewrite: $$($(OPA) fmt --list policies)"; exit 1; }
	@$(OPA) check --strict policies
	@$(VENV)/bin/python scripts/rego_test_data.py $(REGO_DATA)
	@$(OPA) test policies $(REGO_DATA)
	@$(VENV)/bin/python scripts/rego_coverage.py $(OPA) policies $(REGO_DATA)

lint-python: ## pyflakes: undefined names, star imports, files that do not compile
	@$(VENV)/bin/python scripts/lint_python.py checker scripts tests bench playbooks

test-python: ## pytest (unit, integration with real Ansible and OPA)
	@$(VENV)/bin/pytest -q $(PYTEST_ARGS)

BENCH_ARGS ?=

bench: setup ## benchmarks (not tests): five ways to decide 100, 1,000 and 10,000 hosts; rewrites docs/performance.md
	@$(VENV)/bin/python bench/run.py $(BENCH_ARGS)

lint: setup ## opa fmt, opa check --strict, Regal
	@scripts/setup.sh regal
	@$(MAKE) --no-print-directory lint-rego

lint-rego:
	@$(OPA) fmt --fail --list policies
	@$(OPA) check --strict policies
	@$(REGAL) lint --format compact policies && echo "Regal: no violations in policies/"

new-rule: setup ## scaffold a rule from a passing skeleton: make new-rule ID=WIFI-OFF CLAUSE=WIRELESS-OFF [FACT=wireless]
	@[ -n "$(ID)" ] && [ -n "$(CLAUSE)" ] || { echo "usage: make new-rule ID=RULE-ID CLAUSE=CLAUSE-ID [FACT=fact_key] [DOMAIN=host]"; exit 2; }
	@$(VENV)/bin/python scripts/new_rule.py $(ID) $(CLAUSE) $(or $(FACT),example) --domain $(or $(DOMAIN),host)
	@$(OPA) fmt --write policies/rules/$$(echo $(ID) | tr 'A-Z-' 'a-z_')

fmt: setup ## format the Rego sources
	@$(OPA) fmt --write policies

lab-up: setup setup-system ## build the lab: zones, firewall, 9 Linux hosts, 5 network devices (root)
	@$(VENV)/bin/python lab/lab.py up

lab-down: ## remove every lab process, namespace and link (also after a killed run)
	@$(or $(wildcard $(VENV)/bin/python),python3) lab/lab.py down

DEMO_KEYS := out/demo-keys

demo: lab-up ## lab-up, collect the air-gapped host offline, audit the whole lab (signed bundle, reports), verify
	@$(VENV)/bin/python lab/lab.py collect-offline
	@[ -f $(DEMO_KEYS)/zicha-signing.key ] || $(ZICHA) keygen --out $(DEMO_KEYS)
	@out=out/demo-$$(date -u +%Y%m%dT%H%M%SZ); \
	  $(ZICHA) audit --inventory lab/inventory.yml --import .lab/offline --collector-key .lab/collector-keys --out $$out \
	    --sign-key $(DEMO_KEYS)/zicha-signing.key; rc=$$?; [ $$rc -le 1 ] || exit $$rc; \
	  echo; $(ZICHA) verify $$out/evidence-*.tar.gz --pubkey $(DEMO_KEYS)/zicha-signing.pub || exit 1; \
	  $(VENV)/bin/python scripts/report_sample.py --from $$out/evidence-*.tar.gz --out docs/report-sample || exit 1; \
	  echo; echo "demo outputs in $$out: report.docx, report.html, report.md (自查报告), results.json, junit.xml,"; \
	  echo "  results.sarif, evidence-*.tar.gz (signed; public key $(DEMO_KEYS)/zicha-signing.pub), facts/, ansible/"; \
	  echo "  the report's rendered pages: docs/report-sample/"; \
	  echo "stop the lab with: make lab-down"

report-sample: setup ## render the 自查报告 to docs/report-sample/ (FROM=results.json or bundle; default a sample estate)
	@$(VENV)/bin/python scripts/report_sample.py $(if $(FROM),--from $(FROM))

clean: ## remove outputs (keeps .venv and .tools)
	rm -rf out .pytest_cache
