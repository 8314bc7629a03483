# The example policy of OPA's REST API reference ("Get a Document (with Input)"), in Rego v1.
package opa.examples

import input.example.flag

allow_request if flag == true
