#!/usr/bin/env node
// Starts a real OpenID Provider (the certified `oidc-provider` package, pinned in package.json) on
// 127.0.0.1 for the gate's sign-in tests. Its own development login form ("Enter any login") and
// consent page are what the browser fills in; the login name picks one of the configured users.
// Usage: node launch.mjs --config <file.json>
//   config: {"clients": [<client metadata: client_id, client_secret, redirect_uris,
//                          post_logout_redirect_uris, ...>],
//            "users": {"<login>": {"email", "name", "roles": [...], "dvo_tenants": [...]}}}
// Prints one line "OIDC_TEST_PROVIDER_READY port=<port>" on stdout when listening; the issuer is
// http://127.0.0.1:<port>. Exits when its stdin closes, so a provider never outlives its tests.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import Provider from "oidc-provider";

function parseArgs(argv) {
  const args = { config: null };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === "--config") args.config = argv[++i];
    else throw new Error(`unknown argument: ${argv[i]}`);
  }
  if (!args.config) throw new Error("--config <file.json> is required");
  return args;
}

const args = parseArgs(process.argv.slice(2));
const config = JSON.parse(readFileSync(args.config, "utf8"));
const users = config.users || {};

// Listen first: the issuer URL names the port the system picked.
const server = createServer();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: config.clients,
    cookies: { keys: [randomBytes(32).toString("hex")] },
    // The scope "gate" carries the claims the gate maps to roles and tenants.
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name"],
      gate: ["roles", "dvo_tenants"],
    },
    // Claims asked for by scope go into the ID token itself (the gate reads only the ID token).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    async findAccount(ctx, id) {
      const user = users[id];
      if (!user) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: user.email,
            email_verified: true,
            name: user.name,
            roles: user.roles || [],
            dvo_tenants: user.dvo_tenants || [],
          };
        },
      };
    },
  });
  // The provider's notes about development-only features go to stderr, not to the READY line.
  provider.on("server_error", (ctx, error) => console.error(`server_error: ${error.message}`));
  server.on("request", provider.callback());
  process.stdout.write(`OIDC_TEST_PROVIDER_READY port=${port}\n`);
});

process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
process.stdin.resume();
