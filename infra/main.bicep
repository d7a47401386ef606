// Entry point for `azd up`: one resource group holding everything Personas runs on in Azure.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Region for every resource. The GPU profile must be offered there (docs/deploy.md).')
param location string

@description('Object id of the deploying user; empty: no data-plane roles for the deployer.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
@description('What principalId is: a user (azd up from a shell) or a service principal (a pipeline).')
param principalType string = 'User'

@secure()
@description('Personas__ApiKeys: "key1=owner1;key2=owner2". Stored in Key Vault.')
param apiKeys string

@secure()
@minLength(32)
@description('Personas__BlobSigningKey: signs download links (32+ characters). Stored in Key Vault.')
param blobSigningKey string

@secure()
@description('Personas__Fal__Key; empty: fal.ai is not configured.')
param falKey string = ''

@secure()
@description('Personas__Replicate__Token; empty: Replicate is not configured.')
param replicateToken string = ''

@secure()
@description('Personas__Replicate__WebhookSecret; empty: Replicate webhooks are refused and polling finishes runs.')
param replicateWebhookSecret string = ''

@allowed([
  'Consumption-GPU-NC24-A100'
  'Consumption-GPU-NC8as-T4'
])
@description('Serverless GPU workload profile for the lora-trainer job.')
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Trainer image; empty: a public placeholder until the postprovision hook pushes trainer/Dockerfile.')
param trainerImage string = ''

@minValue(7200)
@description('Longest a training execution may run, in seconds (at least 2 hours).')
param trainerTimeoutSeconds int = 14400

@description('Create an Azure OpenAI account with a chat/vision deployment.')
param deployOpenAi bool = false

@description('Azure OpenAI model deployed when deployOpenAi is true (used for text and vision).')
param openAiModelName string = 'gpt-4o-mini'

@description('Version of openAiModelName.')
param openAiModelVersion string = '2024-07-18'

@minValue(1)
@description('Azure OpenAI deployment capacity, in thousands of tokens per minute.')
param openAiCapacity int = 30

@minValue(1)
@maxValue(1000)
@description('Most instances the Flex Consumption app scales out to.')
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
@description('Memory of each Flex Consumption instance, in MB; photo intake decodes 12 MP images, so 2048 or more.')
param instanceMemoryMB int = 2048

var tags = { 'azd-env-name': environmentName }

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'personas-resources'
  scope: group
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    principalId: principalId
    principalType: principalType
    apiKeys: apiKeys
    blobSigningKey: blobSigningKey
    falKey: falKey
    replicateToken: replicateToken
    replicateWebhookSecret: replicateWebhookSecret
    gpuProfileType: gpuProfileType
    trainerImage: trainerImage
    trainerTimeoutSeconds: trainerTimeoutSeconds
    deployOpenAi: deployOpenAi
    openAiModelName: openAiModelName
    openAiModelVersion: openAiModelVersion
    openAiCapacity: openAiCapacity
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output SERVICE_API_NAME string = resources.outputs.functionAppName
output SERVICE_API_URI string = resources.outputs.functionAppUri
output AZURE_CONTAINER_REGISTRY_NAME string = resources.outputs.registryName
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = resources.outputs.registryLoginServer
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output AZURE_COSMOS_ENDPOINT string = resources.outputs.cosmosEndpoint
output AZURE_IDENTITY_CLIENT_ID string = resources.outputs.identityClientId
output PERSONAS_TRAINER_JOB_NAME string = resources.outputs.trainerJobName
output AZURE_OPENAI_ENDPOINT string = resources.outputs.openAiEndpoint
