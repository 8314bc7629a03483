# A sample OPA policy for DVO Policy Gate (docs/opa.md).
#
# The gate asks for the document data.dvo.gate (DVO_OPA_DECISION, default dvo/gate) with the input
# described by ../input.schema.json, and reads three members of it:
#   deny              a set of messages; any one denies the run
#   require_approval  a set of {roles, users, min_approvals, expiry_hours, reason}; each adds an
#                     approver group
#   warn              a set of messages, shown as warnings
# Other members (the helper rules below) are ignored by the gate.
#
# This sample mirrors the gate's built-in scope and intrusive-step checks, to show how they look
# in Rego, and adds one tenant's own rule. The gate runs its built-in checks anyway; a real policy
# adds what the gate does not know. Run its tests with: opa test policies/opa
package dvo.gate

import rego.v1

# ---- scope: every target of every step must lie inside the engagement's scope -----------------
#
# The gate's own check (reason plan-out-of-scope) is exact: it normalises URLs, default ports and
# IPv4-mapped IPv6 addresses. Its verdict is in input.plan.out_of_scope_targets; this mirror covers
# the common cases.

deny contains message if {
	some step in input.plan.steps
	some target in step.targets
	not in_scope(target)
	message := sprintf("target %q of step %q is outside the engagement scope", [target, step.id])
}

in_scope(target) if {
	is_url(target)
	url_in_scope(target)
}

in_scope(target) if {
	is_ip(target)
	ip_in_scope(target)
}

in_scope(target) if {
	not is_url(target)
	not is_ip(target)
	host_in_scope(target)
}

is_url(target) if contains(target, "://")

is_ip(target) if net.cidr_is_valid(concat("/", [target, "32"]))

is_ip(target) if net.cidr_is_valid(concat("/", [target, "128"]))

normal_host(name) := trim_suffix(lower(name), ".")

# "api.acme.io" admits only itself.
host_in_scope(name) if {
	some pattern in input.plan.scope.hosts
	not startswith(pattern, "*.")
	normal_host(pattern) == normal_host(name)
}

# "*.acme.io" admits every name below acme.io, never acme.io itself nor "badacme.io".
host_in_scope(name) if {
	some pattern in input.plan.scope.hosts
	startswith(pattern, "*.")
	endswith(normal_host(name), substring(normal_host(pattern), 1, -1))
}

ip_in_scope(address) if {
	some cidr in input.plan.scope.cidrs
	net.cidr_contains(cidr, address)
}

# {"origin": "https://api.acme.io", "segments": ["v2", "orders"]}
url_parts(url) := {"origin": lower(concat("://", [m[1], m[2]])), "segments": segments} if {
	matches := regex.find_all_string_submatch_n(`^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]+)([^?#]*)`, url, 1)
	m := matches[0]
	segments := [s | some s in split(m[3], "/"); s != ""]
}

# Under a prefix: same scheme, host and port, and whole path segments ("/api" admits "/api/v1",
# not "/apix").
url_in_scope(url) if {
	some prefix in input.plan.scope.url_prefixes
	p := url_parts(prefix)
	t := url_parts(url)
	p.origin == t.origin
	count(p.segments) <= count(t.segments)
	array.slice(t.segments, 0, count(p.segments)) == p.segments
}

# A host in scope admits every URL on it.
url_in_scope(url) if {
	parts := url_parts(url)
	authority := split(parts.origin, "://")[1]
	host_in_scope(regex.replace(authority, `:[0-9]+$`, ""))
}

# ---- risk: intrusive steps need a security review ---------------------------------------------

intrusive_steps contains step.id if {
	some step in input.plan.steps
	step.risk_tier == "intrusive"
}

require_approval contains approval if {
	count(intrusive_steps) > 0
	approval := {
		"roles": ["security", "admin"],
		"min_approvals": 1,
		"expiry_hours": 8,
		"reason": sprintf("intrusive step(s) %s need approval by security or admin", [concat(", ", intrusive_steps)]),
	}
}

# ---- one tenant's own rule: acme's production runs carry a change ticket ----------------------

deny contains "acme: production runs need config.change_ticket (CHG- and digits)" if {
	input.tenant_id == "acme"
	input.environment in {"prod", "production"}
	not valid_change_ticket
}

valid_change_ticket if regex.match(`^CHG-[0-9]+$`, input.config.change_ticket)

# ---- a warning: a run that takes more than half of what is left this period ------------------

warn contains message if {
	input.quota.remaining != null
	input.estimate * 2 > input.quota.remaining
	message := sprintf("this run uses %d of the %d credits left in %s", [input.estimate, input.quota.remaining, input.quota.period])
}
