// DVO Policy Gate on Azure: Function App (Flex Consumption), Cosmos DB (serverless, Entra-only),
// storage, Application Insights, Key Vault, and Entra sign-in for people (the gate's own OpenID
// Connect sign-in by default; App Service Authentication where chosen). No keys anywhere: the
// app reaches every service with its system-assigned managed identity.
targetScope = 'resourceGroup'

@description('Short name prefix for every resource, e.g. "dvogate".')
@minLength(3)
@maxLength(12)
param namePrefix string

@description('Environment name, part of every resource name.')
@allowed([
  'dev'
  'test'
  'prod'
])
param environmentName string

@description('Azure region; Flex Consumption must be available there.')
param location string = resourceGroup().location

@description('Application (client) id of the Entra app registration that signs people and pipelines in.')
param entraClientId string

@description('Entra tenant that signs people in and issues the tokens. Empty: keep the tenant the app signs people in with now (a first deployment: the subscription\'s tenant).')
param entraTenantId string = ''

@description('Further token audiences to accept besides the app id and api://<app id> (appServiceAuthentication only).')
param extraAllowedAudiences array = []

@description('How people sign in. Empty: keep the current way (a first deployment: openIdConnect). openIdConnect: the gate runs the Entra sign-in itself (authorization code + PKCE, signed session cookie) and trusts no platform header; pipelines use gate API keys. appServiceAuthentication: the platform signs people in and the gate trusts X-MS-CLIENT-PRINCIPAL; choose it only on a plan where App Service Authentication is enforced (the Flex Consumption documentation says it is not, and that unauthenticated callers are not blocked).')
@allowed([
  ''
  'openIdConnect'
  'appServiceAuthentication'
])
param peopleSignIn string = ''

@description('Client secret of the Entra app registration (openIdConnect sign-in). Stored only in Key Vault. Empty: keep the stored one; the first openIdConnect deployment needs it.')
@secure()
param entraClientSecret string = ''

@description('Key that signs the people\'s session cookies (openIdConnect sign-in). Stored only in Key Vault. The default rotates it on every deployment, which signs everybody out once.')
@secure()
param sessionSecret string = newGuid()

// Settings parameters: an empty value leaves the app's current value as it is (a redeploy that
// omits them changes nothing); the gate's own default applies where nothing was ever set.
@description('IANA time zone for deployment_hour and is_weekend in policies (DVO_TIME_ZONE). Empty: keep (the gate defaults to UTC).')
param timeZone string = ''

@description('Base of status and review links (DVO_PUBLIC_BASE_URL), e.g. a custom domain. Empty: keep; the first deployment sets https://<default host>.')
param publicBaseUrl string = ''

@description('Claim with the gate tenants of a signed-in principal (DVO_TENANT_CLAIM). Empty: keep (default dvo_tenants).')
param tenantClaim string = ''

@description('JSON object from principal id, e-mail or role:<role> to tenants (DVO_TENANT_MAP). Empty: keep.')
param tenantMap string = ''

@description('JSON object from Entra role values to gate roles (DVO_ROLE_MAP). Empty: keep.')
param roleMap string = ''

@description('Hours before expiry to remind approvers; 0 disables (DVO_TEAMS_REMINDER_HOURS). Empty: keep (default 2).')
param teamsReminderHours string = ''

@description('A tenant without quota is denied or allowed (DVO_NO_QUOTA). Empty: keep (default deny).')
@allowed([
  ''
  'deny'
  'allow'
])
param noQuota string = ''

@description('Largest accepted request body in bytes (DVO_MAX_BODY_BYTES). Empty: keep (default 262144).')
param maxBodyBytes string = ''

@description('Header whose last entry is the client\'s address in audit events (DVO_CLIENT_ADDRESS_HEADER). Empty: keep; the first deployment sets X-Forwarded-For, to which the App Service front end appends the caller\'s address.')
param clientAddressHeader string = ''

@description('Java version of the Functions runtime. Must equal maven.compiler.release in pom.xml.')
param javaVersion string = '17'

@description('Teams Workflows webhook URL. Stored only in Key Vault. Empty: keep the stored one (none: no Teams).')
@secure()
param teamsWebhookUrl string = ''

@description('Per-tenant / per-environment Teams webhooks, the JSON of DVO_TEAMS_WEBHOOK_ROUTES. Stored only in Key Vault. Empty: keep the stored one.')
@secure()
param teamsWebhookRoutes string = ''

@description('Pipeline API keys: the JSON array printed by `dvo-gate api-key new` (hashes only, never keys). Stored only in Key Vault. Empty: keep the stored list (none: Entra tokens only).')
@secure()
param apiKeys string = ''

@description('Key for the review page CSRF tokens. Stored only in Key Vault. The default rotates it on every deployment, which only invalidates review forms open at that moment.')
@secure()
param csrfSecret string = newGuid()

@description('Upper bound of Flex Consumption instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance (MB).')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Instances kept running for the HTTP functions, so an approver opening a Teams link does not wait for a Java cold start. Billed while idle; 0 scales to zero.')
@minValue(0)
@maxValue(20)
param alwaysReadyHttpInstances int = 1

@description('HTTP invocations one instance takes at once. A pipeline waiting on a long poll holds one for up to 25 s while costing almost nothing, so this is higher than the platform default.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 100

var suffix = take(uniqueString(subscription().id, resourceGroup().id, namePrefix, environmentName), 8)
var baseName = '${namePrefix}-${environmentName}'
var tags = {
  application: 'dvo-policy-gate'
  environment: environmentName
}

// Must match io.dvo.gate.config.CosmosContainer (checked by InfraContractTest in the build).
var cosmosDatabaseName = 'dvo-gate'
var cosmosContainers = [
  {
    name: 'approvals'
    partitionKey: '/tenantId'
    defaultTtl: -1
  }
  {
    name: 'quotas'
    partitionKey: '/tenantId'
    defaultTtl: -1
  }
  {
    name: 'usage'
    partitionKey: '/tenantId'
    defaultTtl: -1
  }
  {
    name: 'policies'
    partitionKey: '/tenantId'
    defaultTtl: -1
  }
  {
    name: 'audit'
    partitionKey: '/tenantId'
    defaultTtl: -1
  }
]

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: '${baseName}-${suffix}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: toLower(take(replace('st${namePrefix}${environmentName}${suffix}', '-', ''), 24))
    location: location
    tags: tags
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    name: toLower('cosmos-${baseName}-${suffix}')
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    containers: cosmosContainers
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('kv-${replace(baseName, '_', '-')}-${suffix}', 24)
    location: location
    tags: tags
    tenantId: subscription().tenantId
    csrfSecret: csrfSecret
    sessionSecret: sessionSecret
    entraClientSecret: entraClientSecret
    teamsWebhookUrl: teamsWebhookUrl
    teamsWebhookRoutes: teamsWebhookRoutes
    apiKeys: apiKeys
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: 'func-${baseName}-${suffix}'
    location: location
    tags: tags
    javaVersion: javaVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
  }
}

module access 'modules/access.bicep' = {
  name: 'access'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.name
    keyVaultName: vault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

// After the role assignments: a Key Vault reference written before the identity may read the vault
// fails to resolve and is retried only on a restart or a day later.
module appSettings 'modules/appsettings.bicep' = {
  name: 'appsettings'
  dependsOn: [
    access
  ]
  params: {
    siteName: functionApp.outputs.name
    currentAppSettings: list('${functionApp.outputs.id}/config/appsettings', '2024-04-01').properties
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmosDatabaseName
    defaultBaseUrl: functionApp.outputs.baseUrl
    vaultName: vault.outputs.name
    teamsWebhookUrlGiven: !empty(teamsWebhookUrl)
    teamsWebhookRoutesGiven: !empty(teamsWebhookRoutes)
    apiKeysGiven: !empty(apiKeys)
    peopleSignIn: peopleSignIn
    extraAllowedAudiences: extraAllowedAudiences
    givenOidcIssuer: empty(entraTenantId) ? '' : '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
    defaultOidcIssuer: '${environment().authentication.loginEndpoint}${subscription().tenantId}/v2.0'
    entraClientId: entraClientId
    publicBaseUrl: publicBaseUrl
    timeZone: timeZone
    tenantClaim: tenantClaim
    tenantMap: tenantMap
    roleMap: roleMap
    teamsReminderHours: teamsReminderHours
    noQuota: noQuota
    maxBodyBytes: maxBodyBytes
    clientAddressHeader: clientAddressHeader
  }
}

@description('Base URL of the gate; Jenkins and other pipelines call <base>/api/v1/gate.')
output functionBaseUrl string = functionApp.outputs.baseUrl

@description('Where approvers review a request: replace {tenant} and {id}.')
output reviewUrlPattern string = '${functionApp.outputs.baseUrl}/api/v1/approvals/{tenant}/{id}/review'

@description('Cosmos DB endpoint (Entra ID only; local keys are disabled).')
output cosmosEndpoint string = cosmos.outputs.endpoint

@description('Name of the Function App, for `mvn azure-functions:deploy`.')
output functionAppName string = functionApp.outputs.name
