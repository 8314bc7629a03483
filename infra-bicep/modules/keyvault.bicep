// Key Vault (RBAC) holding the secrets the app reads through Key Vault references. A secret is written
// only when its parameter is not empty: a redeploy without it keeps the secret (and the app's
// reference to it) as it is.
param name string
param location string
param tags object
param tenantId string

@secure()
param csrfSecret string

@secure()
param sessionSecret string

@description('Empty: the secret is left as it is (or not created); the Entra client secret for the gate\'s own sign-in.')
@secure()
param entraClientSecret string

@description('Empty: the Teams secret is left as it is (or not created: the app runs without Teams).')
@secure()
param teamsWebhookUrl string

@description('Empty: the secret is left as it is (or not created); per-tenant Teams routes.')
@secure()
param teamsWebhookRoutes string

@description('Empty: the API-key secret is left as it is (or not created; pipelines then need Entra tokens).')
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

resource session 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'session-secret'
  properties: {
    value: sessionSecret
  }
}

resource oidcClient 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(entraClientSecret)) {
  parent: vault
  name: 'oidc-client-secret'
  properties: {
    value: entraClientSecret
  }
}

resource teams 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(teamsWebhookUrl)) {
  parent: vault
  name: 'teams-webhook-url'
  properties: {
    value: teamsWebhookUrl
  }
}

resource routes 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(teamsWebhookRoutes)) {
  parent: vault
  name: 'teams-webhook-routes'
  properties: {
    value: teamsWebhookRoutes
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
