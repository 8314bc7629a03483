// The Function App's settings. A `Microsoft.Web/sites/config` 'appsettings' resource replaces the
// app's whole set on every deployment, so this module starts from the settings the app has now and
// writes over them only what this deployment must own or was given:
//
//   settings = union(firstDeploymentDefaults, currentAppSettings, owned, signInSettings, given)
//   (later wins)
//
// - owned: infrastructure facts and safety rails, written every time (endpoints, dev mode off, ...);
// - signInSettings: the settings of the chosen sign-in, written every time;
// - given: a parameter that is not empty; an omitted one leaves the app's value alone;
// - first-deployment defaults: only where the app has no value yet.
// Settings added by hand and secrets not passed again therefore survive every redeploy.
// Deployed after the role assignments (main.bicep), so Key Vault references resolve at once.

param siteName string

@description('The app settings before this deployment (list() of config/appsettings). Secure: values an operator set by hand must not land in the deployment history.')
@secure()
param currentAppSettings object

param storageAccountName string
param appInsightsConnectionString string
param cosmosEndpoint string
param cosmosDatabaseName string
param defaultBaseUrl string
param vaultName string

@description('Key Vault secrets this deployment wrote; a reference is (re)written only for these.')
param teamsWebhookUrlGiven bool
param teamsWebhookRoutesGiven bool
param apiKeysGiven bool

@description('openIdConnect, appServiceAuthentication, or empty: keep the app\'s current way (a first deployment: openIdConnect).')
param peopleSignIn string
@description('The Entra issuer of the given entraTenantId, or empty: keep the current one.')
param givenOidcIssuer string
@description('The issuer of the subscription\'s tenant, for a first deployment.')
param defaultOidcIssuer string
param entraClientId string
param extraAllowedAudiences array

param publicBaseUrl string
param timeZone string
param tenantClaim string
param tenantMap string
param roleMap string
param teamsReminderHours string
param noQuota string
param maxBodyBytes string
param clientAddressHeader string

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: siteName
}

var owned = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
  DVO_COSMOS_ENDPOINT: cosmosEndpoint
  DVO_COSMOS_DATABASE: cosmosDatabaseName
  DVO_COSMOS_CREATE_CONTAINERS: 'false'
  DVO_POLICY_DIR: '/home/site/wwwroot/policies'
  DVO_DEV_MODE: 'false'
  DVO_CSRF_SECRET: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=csrf-secret)'
}

// Kept from the app's settings when not given: a redeploy never switches how people sign in.
var keptPlatformSignIn = contains(currentAppSettings, 'DVO_TRUST_PRINCIPAL_HEADER')
  ? toLower(currentAppSettings['DVO_TRUST_PRINCIPAL_HEADER']) == 'true'
  : false
var platformSignIn = empty(peopleSignIn) ? keptPlatformSignIn : peopleSignIn == 'appServiceAuthentication'

var oidcIssuer = !empty(givenOidcIssuer)
  ? givenOidcIssuer
  : contains(currentAppSettings, 'DVO_OIDC_ISSUER') ? currentAppSettings['DVO_OIDC_ISSUER'] : defaultOidcIssuer

// Exactly one way in for people. The gate's own sign-in trusts no platform header, so a forged
// X-MS-CLIENT-PRINCIPAL is refused even where the platform does not strip it.
var signInSettings = platformSignIn
  ? {
      DVO_TRUST_PRINCIPAL_HEADER: 'true'
      DVO_LOGIN_PATH: '/.auth/login/aad'
    }
  : {
      DVO_TRUST_PRINCIPAL_HEADER: 'false'
      DVO_LOGIN_PATH: '/auth/login'
      DVO_OIDC_ISSUER: oidcIssuer
      DVO_OIDC_CLIENT_ID: entraClientId
      DVO_OIDC_CLIENT_SECRET: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=oidc-client-secret)'
      DVO_OIDC_ROLES_CLAIM: 'roles'
      DVO_SESSION_SECRET: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=session-secret)'
    }

var given = union(
  empty(publicBaseUrl) ? {} : { DVO_PUBLIC_BASE_URL: publicBaseUrl },
  empty(timeZone) ? {} : { DVO_TIME_ZONE: timeZone },
  empty(tenantClaim) ? {} : { DVO_TENANT_CLAIM: tenantClaim },
  empty(tenantMap) ? {} : { DVO_TENANT_MAP: tenantMap },
  empty(roleMap) ? {} : { DVO_ROLE_MAP: roleMap },
  empty(teamsReminderHours) ? {} : { DVO_TEAMS_REMINDER_HOURS: teamsReminderHours },
  empty(noQuota) ? {} : { DVO_NO_QUOTA: noQuota },
  empty(maxBodyBytes) ? {} : { DVO_MAX_BODY_BYTES: maxBodyBytes },
  empty(clientAddressHeader) ? {} : { DVO_CLIENT_ADDRESS_HEADER: clientAddressHeader },
  teamsWebhookUrlGiven
    ? { DVO_TEAMS_WEBHOOK_URL: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=teams-webhook-url)' }
    : {},
  teamsWebhookRoutesGiven
    ? { DVO_TEAMS_WEBHOOK_ROUTES: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=teams-webhook-routes)' }
    : {},
  apiKeysGiven ? { DVO_API_KEYS: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=api-keys)' } : {}
)

// Every request reaches a Function App through the platform's front end, which appends the
// caller's address to X-Forwarded-For; the gate reads only that last entry (ClientAddress).
var firstDeploymentDefaults = {
  DVO_PUBLIC_BASE_URL: defaultBaseUrl
  DVO_CLIENT_ADDRESS_HEADER: 'X-Forwarded-For'
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(firstDeploymentDefaults, currentAppSettings, owned, signInSettings, given)
}

// App Service Authentication, switched on only for appServiceAuthentication (otherwise off, so nobody
// mistakes it for a guard), validates Entra sessions and tokens and passes X-MS-CLIENT-PRINCIPAL.
// It lets unauthenticated requests through because pipelines may present a gate API key
// (X-DVO-API-Key) instead; the gate itself answers 401 to anything without an identity and sends
// people on the review page to DVO_LOGIN_PATH.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: platformSignIn
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
          openIdIssuer: oidcIssuer
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
