# Rego unit tests of the sample policy, for `opa test policies/opa` (OPA is not run by this
# repository's build: no OPA binary is available on its build machines; see docs/opa.md).
#
# base_input is exactly what the gate sends for the documented request of docs/gate.md (the build
# checks it: OpaInputTest), so these tests run against the real input layout.
package dvo.gate_test

import rego.v1

import data.dvo.gate

base_input := {
	"version": 1,
	"tenant_id": "acme",
	"idempotency_key": "https://ci.acme.io/job/pentest-web/17/#8",
	"environment": "prod",
	"agent_id": "pentest-web",
	"user": {
		"id": "sp-jenkins",
		"email": "",
		"roles": [
			"gate_caller"
		]
	},
	"initiator": {
		"id": "u-dana",
		"email": "dana@acme.io",
		"display_name": "Dana Reyes"
	},
	"deployment_hour": 10,
	"is_weekend": false,
	"timestamp": "2026-11-10T10:00:00Z",
	"time_zone": "UTC",
	"in_freeze": false,
	"freeze": null,
	"is_holiday": false,
	"config": {
		"change_ticket": "CHG-4711",
		"staging_validated": true,
		"retries": 2,
		"load_factor": 0.75,
		"owners": [
			"sec-team",
			"web-team"
		],
		"window": {
			"start": "22:00",
			"end": "02:00"
		}
	},
	"estimate": 150,
	"plan": {
		"engagement_id": "eng-2026-11-web",
		"max_risk_tier": "intrusive",
		"estimate": 150,
		"step_count": 3,
		"scope": {
			"hosts": [
				"*.shop.acme.io",
				"shop.acme.io"
			],
			"cidrs": [
				"10.20.0.0/16",
				"2001:db8:ace::/48"
			],
			"url_prefixes": [
				"https://api.acme.io/v2"
			]
		},
		"steps": [
			{
				"id": "recon",
				"name": "Passive reconnaissance",
				"risk_tier": "passive",
				"estimate": 10,
				"targets": [
					"shop.acme.io",
					"www.shop.acme.io"
				]
			},
			{
				"id": "scan",
				"name": "Port and service scan",
				"risk_tier": "active",
				"estimate": 40,
				"targets": [
					"10.20.1.0",
					"2001:db8:ace::10"
				]
			},
			{
				"id": "exploit",
				"name": "Exploit validation",
				"risk_tier": "intrusive",
				"estimate": 100,
				"targets": [
					"https://api.acme.io/v2/orders"
				]
			}
		],
		"out_of_scope_targets": [],
		"intrusive_steps": [
			"exploit"
		]
	},
	"quota": {
		"period": "2026-11",
		"budget": 1000,
		"used": 310,
		"estimate": 150,
		"remaining": 690,
		"per_plan_cap": 200
	},
	"source": {
		"kind": "jenkins",
		"url": "https://ci.acme.io/job/pentest-web/17/",
		"job": "pentest-web",
		"build": "17"
	},
	"emergency": null
}

with_target(step, target) := json.patch(base_input, [{"op": "add", "path": sprintf("/plan/steps/%d/targets/-", [step]), "value": target}])

test_the_documented_request_is_in_scope_and_has_its_ticket if {
	denials := gate.deny with input as base_input
	count(denials) == 0
}

test_the_intrusive_step_needs_a_security_review if {
	expected := {
		"roles": ["security", "admin"],
		"min_approvals": 1,
		"expiry_hours": 8,
		"reason": "intrusive step(s) exploit need approval by security or admin",
	}
	approvals := gate.require_approval with input as base_input
	approvals == {expected}
}

test_without_intrusive_steps_no_approval_is_needed if {
	passive := json.patch(base_input, [{"op": "replace", "path": "/plan/steps/2/risk_tier", "value": "active"}])
	approvals := gate.require_approval with input as passive
	count(approvals) == 0
}

test_a_host_outside_the_scope_is_denied if {
	denials := gate.deny with input as with_target(0, "evil.example.net")
	denials == {"target \"evil.example.net\" of step \"recon\" is outside the engagement scope"}
}

test_look_alike_hosts_are_outside_the_scope if {
	denials := gate.deny with input as with_target(0, "badshop.acme.io")
	count(denials) == 1
	more := gate.deny with input as with_target(0, "shop.acme.io.evil.net")
	count(more) == 1
	suffix := gate.deny with input as with_target(0, "acme.io")
	count(suffix) == 1
}

test_a_wildcard_admits_names_at_any_depth if {
	denials := gate.deny with input as with_target(0, "a.b.shop.acme.io")
	count(denials) == 0
}

test_an_address_outside_the_cidrs_is_denied if {
	denials := gate.deny with input as with_target(1, "10.21.0.1")
	denials == {"target \"10.21.0.1\" of step \"scan\" is outside the engagement scope"}
	inside := gate.deny with input as with_target(1, "2001:db8:ace::ffff")
	count(inside) == 0
}

test_a_url_is_in_scope_only_under_whole_prefix_segments if {
	under := gate.deny with input as with_target(2, "https://api.acme.io/v2/orders/17")
	count(under) == 0
	beside := gate.deny with input as with_target(2, "https://api.acme.io/v2x/orders")
	count(beside) == 1
	other_host := gate.deny with input as with_target(2, "https://api.acme.io.evil.net/v2/orders")
	count(other_host) == 1
}

test_a_url_on_a_host_in_scope_is_in_scope if {
	denials := gate.deny with input as with_target(2, "https://www.shop.acme.io/login")
	count(denials) == 0
}

test_acme_production_needs_a_change_ticket if {
	no_ticket := json.remove(base_input, ["/config/change_ticket"])
	denials := gate.deny with input as no_ticket
	denials == {"acme: production runs need config.change_ticket (CHG- and digits)"}
	bad_ticket := json.patch(base_input, [{"op": "replace", "path": "/config/change_ticket", "value": "see Slack"}])
	count(gate.deny) == 1 with input as bad_ticket
}

test_other_tenants_and_environments_need_no_ticket if {
	globex := json.patch(json.remove(base_input, ["/config/change_ticket"]), [{"op": "replace", "path": "/tenant_id", "value": "globex"}])
	denials := gate.deny with input as globex
	count(denials) == 0
	staging := json.patch(json.remove(base_input, ["/config/change_ticket"]), [{"op": "replace", "path": "/environment", "value": "staging"}])
	count(gate.deny) == 0 with input as staging
}

test_a_run_taking_more_than_half_of_what_is_left_warns if {
	low := json.patch(base_input, [{"op": "replace", "path": "/quota/remaining", "value": 200}])
	warnings := gate.warn with input as low
	warnings == {"this run uses 150 of the 200 credits left in 2026-11"}
	count(gate.warn) == 0 with input as base_input
}

test_without_a_quota_there_is_no_warning if {
	unlimited := json.patch(base_input, [{"op": "replace", "path": "/quota/remaining", "value": null}])
	count(gate.warn) == 0 with input as unlimited
}

test_without_a_plan_nothing_is_denied_for_scope if {
	no_plan := json.patch(base_input, [{"op": "replace", "path": "/plan", "value": null}])
	count(gate.deny) == 0 with input as no_plan
	count(gate.require_approval) == 0 with input as no_plan
}
