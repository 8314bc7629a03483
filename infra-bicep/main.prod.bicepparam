using './main.bicep'

param namePrefix = 'dvogate'
param environmentName = 'prod'
// Replace with your app registration's Application (client) id.
param entraClientId = '00000000-0000-0000-0000-000000000000'
param timeZone = 'Europe/London'
param maximumInstanceCount = 40
param alwaysReadyHttpInstances = 1
// Secrets (entraClientSecret, teamsWebhookUrl, teamsWebhookRoutes, apiKeys) are passed only when they
// change (entraClientSecret also on the first deployment: people sign in with it), e.g.
//   az deployment group create ... --parameters main.prod.bicepparam apiKeys="$API_KEYS_JSON"
// An omitted secret keeps its stored value (infra-bicep/README.md, "How settings survive a redeploy").
