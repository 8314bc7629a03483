// DVO Policy Gate on Azure: Function App (Flex Consumption), Cosmos DB (serverless, Entra-only),
// storage, Application Insights, Key Vault and App Service Authentication. No keys anywhere: the
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

@description('Entra tenant that issues the tokens.')
param entraTenantId string = subscription().tenantId

@description('Further token audiences to accept besides the app id and api://<app id>.')
param extraAllowedAudiences array = []

@description('IANA time zone for deployment_hour and is_weekend in policies.')
param timeZone string = 'UTC'

@description('Java version of the Functions runtime. Must equal maven.compiler.release in pom.xml.')
param javaVersion string = '17'

@description('Teams Workflows webhook URL. Stored only in Key Vault; leave empty to run without Teams.')
@secure()
param teamsWebhookUrl string = ''

@description('Pipeline API keys: the JSON array printed by `dvo-gate api-key new` (hashes only, never keys). Stored only in Key Vault; leave empty for Entra tokens only.')
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
    tenantId: entraTenantId
    csrfSecret: csrfSecret
    teamsWebhookUrl: teamsWebhookUrl
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
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmosDatabaseName
    timeZone: timeZone
    csrfSecretUri: vault.outputs.csrfSecretUri
    teamsWebhookSecretUri: vault.outputs.teamsWebhookSecretUri
    apiKeysSecretUri: vault.outputs.apiKeysSecretUri
    entraClientId: entraClientId
    entraTenantId: entraTenantId
    extraAllowedAudiences: extraAllowedAudiences
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

@description('Base URL of the gate; Jenkins and other pipelines call <base>/api/v1/gate.')
output functionBaseUrl string = functionApp.outputs.baseUrl

@description('Where approvers review a request: replace {tenant} and {id}.')
output reviewUrlPattern string = '${functionApp.outputs.baseUrl}/api/v1/approvals/{tenant}/{id}/review'

@description('Cosmos DB endpoint (Entra ID only; local keys are disabled).')
output cosmosEndpoint string = cosmos.outputs.endpoint

@description('Name of the Function App, for `mvn azure-functions:deploy`.')
output functionAppName string = functionApp.outputs.name
