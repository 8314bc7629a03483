using './main.bicep'

param namePrefix = 'dvogate'
param environmentName = 'prod'
// Replace with your app registration's Application (client) id.
param entraClientId = '00000000-0000-0000-0000-000000000000'
param timeZone = 'Europe/London'
param maximumInstanceCount = 40
// The Teams webhook URL is a secret: pass it at deployment time, e.g.
//   az deployment group create ... --parameters main.prod.bicepparam teamsWebhookUrl="$TEAMS_URL"
// or read it from an existing vault: param teamsWebhookUrl = az.getSecret('<sub>', '<rg>', '<vault>', 'teams-webhook-url')
