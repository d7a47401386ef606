// Everything inside the resource group; main.bicep creates the group and passes the parameters through.
param environmentName string
param location string
param tags object
param principalId string
param principalType string
@secure()
param apiKeys string
@secure()
param blobSigningKey string
@secure()
param falKey string
@secure()
param replicateToken string
@secure()
param replicateWebhookSecret string
param gpuProfileType string
param trainerImage string
param trainerTimeoutSeconds int
param deployOpenAi bool
param openAiModelName string
param openAiModelVersion string
param openAiCapacity int
param maximumInstanceCount int
param instanceMemoryMB int

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var trainerJobName = 'lora-trainer'

// App setting name -> secret value. Optional secrets that are empty get no Key Vault secret and no app setting:
// an unresolvable reference would reach the app as the literal reference text.
var secretValues = {
  Personas__ApiKeys: apiKeys
  Personas__BlobSigningKey: blobSigningKey
  Personas__Fal__Key: falKey
  Personas__Replicate__Token: replicateToken
  Personas__Replicate__WebhookSecret: replicateWebhookSecret
}
var presentSecretSettings = filter(objectKeys(secretValues), name => !empty(secretValues[name]))

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-${token}'
    appInsightsName: 'appi-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    name: 'cosmos-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: 'kv-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    secretValues: secretValues
    settingNames: presentSecretSettings
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: { name: 'cr${token}', location: location, tags: tags, principalId: identity.outputs.principalId }
}

module trainer 'modules/trainer-job.bicep' = {
  name: 'trainer-job'
  params: {
    environmentName: 'cae-${token}'
    jobName: trainerJobName
    location: location
    tags: tags
    workspaceName: monitoring.outputs.workspaceName
    gpuProfileType: gpuProfileType
    image: trainerImage
    timeoutSeconds: trainerTimeoutSeconds
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    identityPrincipalId: identity.outputs.principalId
    registryLoginServer: registry.outputs.loginServer
    artifactsUrl: '${storage.outputs.blobEndpoint}training-artifacts'
  }
}

module openAi 'modules/openai.bicep' = if (deployOpenAi) {
  name: 'openai'
  params: {
    name: 'oai-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    modelName: openAiModelName
    modelVersion: openAiModelVersion
    capacity: openAiCapacity
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    planName: 'plan-${token}'
    appName: 'func-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainer: storage.outputs.deploymentContainer
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabase: cosmos.outputs.databaseName
    cosmosContainer: cosmos.outputs.containerName
    secretSettings: vault.outputs.referenceSettings
    jobsResourceGroup: resourceGroup().name
    jobsJobName: trainer.outputs.jobName
    openAiEndpoint: deployOpenAi ? openAi!.outputs.endpoint : ''
    openAiDeployment: deployOpenAi ? openAi!.outputs.deploymentName : ''
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppUri string = functionApp.outputs.uri
output registryName string = registry.outputs.name
output registryLoginServer string = registry.outputs.loginServer
output keyVaultName string = vault.outputs.name
output storageAccountName string = storage.outputs.name
output cosmosEndpoint string = cosmos.outputs.endpoint
output identityClientId string = identity.outputs.clientId
output trainerJobName string = trainer.outputs.jobName
output openAiEndpoint string = deployOpenAi ? openAi!.outputs.endpoint : ''
