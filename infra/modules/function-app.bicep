// The API and its durable workflows: a .NET 10 isolated Function App on Flex Consumption (FC1), which runs
// dotnet-isolated 10.0 and takes identity-based host storage and deployment storage.
param planName string
param appName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param blobEndpoint string
param deploymentContainer string
param appInsightsConnectionString string
param cosmosEndpoint string
param cosmosDatabase string
param cosmosContainer string
@description('Key Vault reference settings: [{ name, value: "@Microsoft.KeyVault(SecretUri=...)" }].')
param secretSettings array
param jobsResourceGroup string
param jobsJobName string
@description('Azure OpenAI v1 endpoint; empty: no model.')
param openAiEndpoint string
param openAiDeployment string
param maximumInstanceCount int
param instanceMemoryMB int

var hostName = '${appName}.azurewebsites.net'
var baseSettings = [
  // Host storage for the Functions runtime and the durable task hub: identity only, no connection string.
  { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
  { name: 'Personas__Blobs__Provider', value: 'azure' }
  { name: 'Personas__Blobs__ServiceUri', value: 'https://${storageAccountName}.blob.${environment().suffixes.storage}' }
  { name: 'Personas__Blobs__Container', value: 'personas' }
  { name: 'Personas__Blobs__ManagedIdentityClientId', value: identityClientId }
  { name: 'Personas__Catalog__Provider', value: 'cosmos' }
  { name: 'Personas__Cosmos__Endpoint', value: cosmosEndpoint }
  { name: 'Personas__Cosmos__Database', value: cosmosDatabase }
  { name: 'Personas__Cosmos__Container', value: cosmosContainer }
  { name: 'Personas__Cosmos__ManagedIdentityClientId', value: identityClientId }
  { name: 'Personas__PublicBaseUrl', value: 'https://${hostName}' }
  { name: 'Personas__Jobs__SubscriptionId', value: subscription().subscriptionId }
  { name: 'Personas__Jobs__ResourceGroup', value: jobsResourceGroup }
  { name: 'Personas__Jobs__JobName', value: jobsJobName }
  { name: 'Personas__Jobs__ManagedIdentityClientId', value: identityClientId }
]
var openAiSettings = empty(openAiEndpoint)
  ? []
  : [
      { name: 'Personas__Llm__Endpoint', value: openAiEndpoint }
      { name: 'Personas__Llm__TextModel', value: openAiDeployment }
      { name: 'Personas__Llm__VisionModel', value: openAiDeployment }
      // No key: the identity's Entra token (Cognitive Services OpenAI User on the account).
      { name: 'Personas__Llm__Auth', value: 'entra' }
      { name: 'Personas__Llm__ManagedIdentityClientId', value: identityClientId }
    ]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: concat(baseSettings, openAiSettings, secretSettings)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: instanceMemoryMB }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
}

// azd deploys through the deployment container with Entra ID, so publishing credentials stay off.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
