// Key Vault (RBAC) holding the secrets the app reads through Key Vault references.
param name string
param location string
param tags object
param tenantId string

@secure()
param csrfSecret string

@description('Empty: no Teams secret is created and the app runs without Teams notifications.')
@secure()
param teamsWebhookUrl string

@description('Empty: no API-key secret is created; pipelines then need Entra tokens.')
@secure()
param apiKeys string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource csrf 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'csrf-secret'
  properties: {
    value: csrfSecret
  }
}

resource teams 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(teamsWebhookUrl)) {
  parent: vault
  name: 'teams-webhook-url'
  properties: {
    value: teamsWebhookUrl
  }
}

resource keys 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(apiKeys)) {
  parent: vault
  name: 'api-keys'
  properties: {
    value: apiKeys
  }
}

output name string = vault.name
output csrfSecretUri string = csrf.properties.secretUri
output apiKeysSecretUri string = empty(apiKeys) ? '' : '${vault.properties.vaultUri}secrets/api-keys'
output teamsWebhookSecretUri string = empty(teamsWebhookUrl) ? '' : '${vault.properties.vaultUri}secrets/teams-webhook-url'
