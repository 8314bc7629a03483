# A policy for the adapter tests: it answers with whatever the input's config asks for, so the
# same tests can run against the fake OPA (which has a Java stand-in for it) and a real OPA.
package dvo.fixture

import rego.v1

deny contains message if {
	some message in input.config.opa_deny
}

warn contains message if {
	some message in input.config.opa_warn
}

require_approval contains approval if {
	some approval in input.config.opa_require_approval
}
