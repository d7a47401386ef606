// Container Apps environment with a serverless GPU profile and the manual-trigger LoRA training job.
param environmentName string
param jobName string
param location string
param tags object
param workspaceName string
@description('Consumption-GPU-NC24-A100 or Consumption-GPU-NC8as-T4.')
param gpuProfileType string
@description('Empty: a public placeholder image until the trainer is pushed.')
param image string
param timeoutSeconds int
param identityId string
param identityClientId string
param identityPrincipalId string
param registryLoginServer string
@description('https://<account>.blob.core.windows.net/training-artifacts')
param artifactsUrl string

var gpuProfileName = 'gpu'
// A serverless GPU replica gets the whole card; these are the profile's full CPU and memory.
var replicaSizes = {
  'Consumption-GPU-NC24-A100': { cpu: json('24'), memory: '220Gi' }
  'Consumption-GPU-NC8as-T4': { cpu: json('8'), memory: '56Gi' }
}
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart-jobs:latest'
// Exactly what the jobs provider calls: read the job, start it, read and stop executions. No listSecrets, no write.
var operatorActions = [
  'Microsoft.App/jobs/read'
  'Microsoft.App/jobs/start/action'
  'Microsoft.App/jobs/stop/action'
  'Microsoft.App/jobs/stop/execution/action'
  'Microsoft.App/jobs/executions/read'
  'Microsoft.App/jobs/execution/read'
]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    workloadProfiles: [
      { name: 'Consumption', workloadProfileType: 'Consumption' }
      { name: gpuProfileName, workloadProfileType: gpuProfileType }
    ]
  }
}

resource job 'Microsoft.App/jobs@2024-03-01' = {
  name: jobName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      triggerType: 'Manual'
      replicaTimeout: timeoutSeconds
      replicaRetryLimit: 0
      manualTriggerConfig: { parallelism: 1, replicaCompletionCount: 1 }
      registries: [{ server: registryLoginServer, identity: identityId }]
    }
    template: {
      containers: [
        {
          name: 'trainer'
          image: empty(image) ? placeholderImage : image
          resources: replicaSizes[gpuProfileType]
          env: [
            { name: 'PERSONAS_ARTIFACTS_URL', value: artifactsUrl }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
          ]
        }
      ]
    }
  }
}

resource operatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'personas-trainer-job-operator')
  properties: {
    roleName: 'Personas trainer job operator (${resourceGroup().name})'
    description: 'Start, stop and read the lora-trainer Container Apps job and its executions.'
    type: 'customRole'
    // The role must be assignable somewhere broader than a job that does not exist yet; it is assigned on the job.
    assignableScopes: [resourceGroup().id]
    permissions: [{ actions: operatorActions, notActions: [] }]
  }
}

resource operator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(job.id, identityPrincipalId, operatorRole.id)
  scope: job
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: operatorRole.id
  }
}

output jobName string = job.name
