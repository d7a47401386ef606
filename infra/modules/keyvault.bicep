// Key Vault in RBAC mode holding the app's secrets; the app reads them through Key Vault references.
param name string
param location string
param tags object
@description('The app identity: reads secrets.')
param principalId string
@description('The deploying user; empty: none. Gets Secrets Officer to set provider keys after deploy.')
param deployerPrincipalId string
@description('User or ServicePrincipal.')
param deployerPrincipalType string
@secure()
@description('App setting name -> secret value.')
param secretValues object
@description('The app setting names whose secret is non-empty; only these become secrets and references.')
param settingNames array

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

// Personas__Fal__Key -> personas-fal-key: secret names allow letters, digits and dashes only.
resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for setting in settingNames: {
    parent: vault
    name: toLower(replace(setting, '__', '-'))
    properties: { value: secretValues[setting] }
  }
]

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, secretsUser)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource officer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, secretsOfficer)
  scope: vault
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
  }
}

output name string = vault.name
// Versionless URIs, so a rotated secret reaches the app without a redeploy.
output referenceSettings array = [
  for (setting, i) in settingNames: {
    name: setting
    value: '@Microsoft.KeyVault(SecretUri=${secrets[i].properties.secretUri})'
  }
]
