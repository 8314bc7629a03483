// The gate's Function App: Flex Consumption (FC1), Linux, Java, system-assigned identity, App Service
// Authentication with Entra ID. Settings name only endpoints and Key Vault references, never keys.
param name string
param location string
param tags object
param javaVersion string
param maximumInstanceCount int
param instanceMemoryMB int
param storageAccountName string
param storageBlobEndpoint string
param deploymentContainerName string
param appInsightsConnectionString string
param cosmosEndpoint string
param cosmosDatabaseName string
param timeZone string
param csrfSecretUri string

@description('Empty when Teams is not configured.')
param teamsWebhookSecretUri string
@description('Empty when no pipeline API keys are configured.')
param apiKeysSecretUri string
param entraClientId string
param entraTenantId string
param extraAllowedAudiences array

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'java'
        version: javaVersion
      }
    }
  }
}

// Every DVO_* key must be an io.dvo.gate.config.Setting (InfraContractTest checks both ways).
var gateSettings = {
  DVO_COSMOS_ENDPOINT: cosmosEndpoint
  DVO_COSMOS_DATABASE: cosmosDatabaseName
  DVO_COSMOS_CREATE_CONTAINERS: 'false'
  DVO_POLICY_DIR: '/home/site/wwwroot/policies'
  DVO_TIME_ZONE: timeZone
  DVO_PUBLIC_BASE_URL: 'https://${site.properties.defaultHostName}'
  DVO_CSRF_SECRET: '@Microsoft.KeyVault(SecretUri=${csrfSecretUri})'
  DVO_DEV_MODE: 'false'
  DVO_NO_QUOTA: 'deny'
  DVO_LOGIN_PATH: '/.auth/login/aad'
}

var teamsSettings = {
  DVO_TEAMS_WEBHOOK_URL: '@Microsoft.KeyVault(SecretUri=${teamsWebhookSecretUri})'
}

var apiKeySettings = {
  DVO_API_KEYS: '@Microsoft.KeyVault(SecretUri=${apiKeysSecretUri})'
}

var platformSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(
    platformSettings,
    gateSettings,
    empty(teamsWebhookSecretUri) ? {} : teamsSettings,
    empty(apiKeysSecretUri) ? {} : apiKeySettings
  )
}

// App Service Authentication validates Entra sessions and tokens and passes X-MS-CLIENT-PRINCIPAL.
// It lets unauthenticated requests through because pipelines may present a gate API key
// (X-DVO-API-Key) instead; the gate itself answers 401 to anything without an identity and sends
// people on the review page to DVO_LOGIN_PATH.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
      redirectToProvider: 'azureactivedirectory'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: union([
            entraClientId
            'api://${entraClientId}'
          ], extraAllowedAudiences)
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output name string = site.name
output principalId string = site.identity.principalId
output baseUrl string = 'https://${site.properties.defaultHostName}'
