// The gate's Function App: Flex Consumption (FC1), Linux, Java, system-assigned identity. How people
// sign in (App Service Authentication with it) and the app settings are written by appsettings.bicep,
// after the role assignments, so no Key Vault reference is resolved before the identity may read the
// vault.
param name string
param location string
param tags object
param javaVersion string
param maximumInstanceCount int
param instanceMemoryMB int
@description('Instances kept warm for the HTTP functions (0: scale to zero, with Java cold starts).')
param alwaysReadyHttpInstances int
@description('Concurrent HTTP invocations per instance; held long polls count while they wait.')
param httpPerInstanceConcurrency int
param storageBlobEndpoint string
param deploymentContainerName string

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
        // 'http' is the group of every HTTP-triggered function (they scale together).
        alwaysReady: alwaysReadyHttpInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyHttpInstances
              }
            ]
          : []
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'java'
        version: javaVersion
      }
    }
  }
}

output name string = site.name
output id string = site.id
output principalId string = site.identity.principalId
output baseUrl string = 'https://${site.properties.defaultHostName}'
