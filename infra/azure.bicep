// Brevet in Azure: what `atk provision --env <env>` creates (teamsapp.yml, arm/deploy).
//
//   App Service plan (Linux) with 2 instances ─ Web App: Node 20, `node dist/src/index.js` (built at deploy), health check /healthz
//   User-assigned managed identity ─ the bot's identity (BOT_ID, BOT_TYPE=UserAssignedMsi): no password
//   Azure Bot (msaAppType UserAssignedMSI) with the Microsoft Teams channel
//   Azure Database for PostgreSQL flexible server + database "brevet" ─ DATABASE_URL
//   Key Vault ─ DATABASE_URL as a secret, read by the Web App through a Key Vault reference
//   Log Analytics workspace + Application Insights (auto-instrumentation, App Service logs)
//
// Two instances are safe because Brevet keeps all its state in PostgreSQL (no turn state in
// memory) and its delivery outbox claims rows with FOR UPDATE SKIP LOCKED (README, "The delivery
// engine").
// The app settings below are the app's configuration (src/config.ts, README "Configuration");
// tests/manifest/provisioning.test.ts checks their names against CONFIG_VARIABLES.

@description('Base of every resource name: lower-case letters and digits, 4 to 16 characters.')
@minLength(4)
@maxLength(16)
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. P0v3 or above: health checks, several instances, always on.')
param appServiceSku string = 'P0v3'

@description('Web App instances: 2, so that one can restart or fail without an outage.')
@minValue(1)
@maxValue(10)
param instanceCount int = 2

@maxLength(42)
param botDisplayName string = 'Brevet'

@description('F0 is enough: Microsoft Teams is a standard channel, its messages are not counted.')
param botServiceSku string = 'F0'

@description('Client id of the tab SSO Entra app (AAD_APP_CLIENT_ID), created by aadApp/create.')
param aadAppClientId string

@description('Tenant of the tab SSO Entra app (AAD_APP_TENANT_ID).')
param aadAppTenantId string = tenant().tenantId

@description('ALLOWED_TENANT_IDS: comma-separated tenant ids; empty = this subscription\'s tenant, the only one a managed-identity bot serves.')
param allowedTenantIds string = ''

@description('ADMIN_AAD_OBJECT_IDS: comma-separated Entra object ids of the training office admins.')
param adminAadObjectIds string = ''

@description('TEAMS_GLOBAL_RPS: the app\'s send rate per tenant.')
param teamsGlobalRps string = '50'

@description('GRAPH_TEAM_OWNERS_ARE_LEADS: team owners are leads too, read from Microsoft Graph with the bot\'s managed identity (grant it TeamMember.Read.All first: docs/deploy.md).')
@allowed([
  'true'
  'false'
])
param graphTeamOwnersAreLeads string = 'false'

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

param postgresAdminLogin string = 'brevetadmin'

@description('PostgreSQL administrator password (SECRET_POSTGRES_ADMIN_PASSWORD in env/.env.<env>.user).')
@secure()
@minLength(12)
param postgresAdminPassword string

@description('Start on Burstable B1ms (up to 50 connections); move to General Purpose here when the metrics ask for it.')
param postgresSkuName string = 'Standard_B1ms'
param postgresSkuTier string = 'Burstable'
param postgresStorageSizeGB int = 32
param postgresVersion string = '16'

var suffix = uniqueString(resourceGroup().id, resourceBaseName)
var databaseName = 'brevet'
var keyVaultName = take('kv${resourceBaseName}${suffix}', 24)
var postgresServerName = 'psql-${resourceBaseName}-${suffix}'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceBaseName}'
  location: location
}

// ---------------------------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: 'log-${resourceBaseName}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceBaseName}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

// ---------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: postgresServerName
  location: location
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: postgresVersion
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: postgresStorageSizeGB
    }
    backup: {
      backupRetentionDays: 14
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// Public access limited to Azure services (0.0.0.0): the Web App's outbound addresses. For a
// private network, add VNet integration and a private endpoint (docs/deploy.md, "Hardening").
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

// Access policies, not RBAC: a deployer with Contributor on the resource group is enough.
resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: false
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    accessPolicies: [
      {
        tenantId: tenant().tenantId
        objectId: identity.properties.principalId
        permissions: {
          secrets: [
            'get'
          ]
        }
      }
    ]
  }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'DATABASE-URL'
  properties: {
    contentType: 'postgres connection string'
    value: 'postgres://${uriComponent(postgresAdminLogin)}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=verify-full'
  }
}

// ---------------------------------------------------------------------------------------------
// Web App
// ---------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'asp-${resourceBaseName}'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

// BEGIN appSettings — names checked by tests/manifest/provisioning.test.ts
var appSettings = [
  // The app's configuration (src/config.ts)
  {
    name: 'BOT_ID'
    value: identity.properties.clientId
  }
  {
    name: 'BOT_TYPE'
    value: 'UserAssignedMsi'
  }
  {
    name: 'BOT_TENANT_ID'
    value: identity.properties.tenantId
  }
  {
    name: 'DATABASE_URL'
    value: '@Microsoft.KeyVault(SecretUri=${databaseUrlSecret.properties.secretUri})'
  }
  {
    name: 'ALLOWED_TENANT_IDS'
    value: empty(allowedTenantIds) ? tenant().tenantId : allowedTenantIds
  }
  {
    name: 'ADMIN_AAD_OBJECT_IDS'
    value: adminAadObjectIds
  }
  {
    name: 'TEAMS_GLOBAL_RPS'
    value: teamsGlobalRps
  }
  {
    name: 'AAD_APP_CLIENT_ID'
    value: aadAppClientId
  }
  {
    name: 'AAD_APP_TENANT_ID'
    value: aadAppTenantId
  }
  {
    name: 'LOG_LEVEL'
    value: logLevel
  }
  // Graph tokens come from App Service's managed identity endpoint (IDENTITY_ENDPOINT and
  // IDENTITY_HEADER, set by the platform) for the bot's user-assigned identity (BOT_ID).
  {
    name: 'GRAPH_TEAM_OWNERS_ARE_LEADS'
    value: graphTeamOwnersAreLeads
  }
  // App Service itself (the app does not read these)
  {
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'true'
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsights.properties.ConnectionString
  }
  {
    name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
    value: '~3'
  }
  {
    name: 'WEBSITE_HEALTHCHECK_MAXPINGFAILURES'
    value: '3'
  }
]
// END appSettings

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: 'app-${resourceBaseName}'
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // The start script of package.json without npm's prestart: built once at deploy
      // (SCM_DO_BUILD_DURING_DEPLOYMENT), never at an instance restart.
      appCommandLine: 'node --max-old-space-size=192 dist/src/index.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: appSettings
    }
  }
  dependsOn: [
    database
    allowAzureServices
  ]
}

resource webAppLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-workspace'
  scope: webApp
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------
// Bot
// ---------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: 'bot-${resourceBaseName}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppTenantId: identity.properties.tenantId
    msaAppMSIResourceId: identity.id
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
    }
  }
}

// Written to env/.env.<env> by arm/deploy (the output names are the variable names).
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output AZURE_KEY_VAULT_NAME string = keyVault.name
output POSTGRES_SERVER_NAME string = postgres.name
