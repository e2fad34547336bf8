// OrleansDynamo on Azure: the silos as one Azure Container App (3 replicas by default) in a zone-redundant Container
// Apps environment, PostgreSQL Flexible Server with zone-redundant high availability for their data and
// membership, private networking between the two, and a Log Analytics workspace for the logs.
//
//   az group create --name odyn --location westeurope
//   az deployment group create --resource-group odyn --template-file infra/azure/main.bicep \
//     --parameters image=myregistry.azurecr.io/orleansdynamo:1 registryServer=myregistry.azurecr.io \
//                  registryUsername=... registryPassword=... postgresAdminPassword=... \
//                  credentialsJson="$(cat credentials.json)"
//
// The region must have availability zones (zone redundancy of both the environment and PostgreSQL needs them).

@description('Name prefix of every resource.')
@minLength(3)
@maxLength(20)
param namePrefix string = 'odyn'

@description('Region of every resource; it must have availability zones.')
param location string = resourceGroup().location

@description('The server image, built with infra/docker/Dockerfile (registry/name:tag).')
param image string

@description('Registry to pull the image from with a user name and password; empty for a public image.')
param registryServer string = ''

@description('User name for registryServer.')
param registryUsername string = ''

@description('Password for registryServer.')
@secure()
param registryPassword string = ''

@description('Silos (container replicas) in the cluster. Fixed, not autoscaled: each silo holds partitions.')
@minValue(1)
@maxValue(30)
param siloCount int = 3

@description('vCPUs of one silo (Consumption profile: 0.25 to 4, with memory at 2 GiB per vCPU).')
param siloCpu string = '1.0'

@description('Memory of one silo, twice the vCPUs in GiB.')
param siloMemory string = '2Gi'

@description('The credentials file the silos check SigV4 signatures against: {"principals": [...]} (docs/operations.md, Security).')
@secure()
param credentialsJson string

@description('Administrator login of PostgreSQL, also the silos\' database user.')
param postgresAdminLogin string = 'odynadmin'

@description('Administrator password of PostgreSQL (it goes into the connection string in double quotes: no " in it).')
@secure()
@minLength(12)
param postgresAdminPassword string

@description('PostgreSQL compute. Zone-redundant high availability needs the General Purpose or Memory Optimized tier; the default allows about 850 connections, plenty for the silos\' pools.')
param postgresSkuName string = 'Standard_D2ds_v5'

@description('Tier of postgresSkuName.')
@allowed([
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'GeneralPurpose'

@description('PostgreSQL major version.')
param postgresVersion string = '17'

@description('PostgreSQL storage in GiB (it grows by itself past that).')
param postgresStorageGb int = 128

@description('Days of PostgreSQL point-in-time backups.')
@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 14

@description('Days Log Analytics keeps the logs.')
param logRetentionDays int = 30

@description('Cluster id shared by the silos (--cluster-id); silos of two deployments on one database must differ.')
param clusterId string = 'orleansdynamo'

@description('Address space of the virtual network the environment and PostgreSQL are placed in.')
param vnetAddressPrefix string = '10.40.0.0/16'

var databaseName = 'odyn'
var apiPort = 8000
var adminPort = 8001
var useRegistry = !empty(registryServer)
var postgresServerName = '${namePrefix}-pg-${uniqueString(resourceGroup().id)}'
// Npgsql checks the server's certificate against the system's trusted roots (VerifyFull), which Azure's chains to.
var postgresConnection = 'Host=${postgres.properties.fullyQualifiedDomainName};Port=5432;Database=${databaseName};Username=${postgresAdminLogin};Password="${postgresAdminPassword}";SSL Mode=VerifyFull'

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${namePrefix}-vnet'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        vnetAddressPrefix
      ]
    }
    subnets: [
      {
        // The Container Apps environment (workload profiles: /27 or larger, delegated to it).
        name: 'apps'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 23, 0)
          delegations: [
            {
              name: 'containerapps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        // PostgreSQL's private access: a subnet of its own, delegated to it.
        name: 'postgres'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 24, 2)
          delegations: [
            {
              name: 'postgres'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

// PostgreSQL is reached by its name inside the virtual network only: it gets no public endpoint.
resource postgresDns 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: '${postgresServerName}.private.postgres.database.azure.com'
  location: 'global'
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: postgresDns
  name: '${namePrefix}-vnet'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
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
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
    availabilityZone: '1'
    // A synchronous standby in another zone, promoted automatically when the primary's zone fails.
    highAvailability: {
      mode: 'ZoneRedundant'
      standbyAvailabilityZone: '2'
    }
    storage: {
      storageSizeGB: postgresStorageGb
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: postgresBackupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    network: {
      delegatedSubnetResourceId: vnet.properties.subnets[1].id
      privateDnsZoneArmResourceId: postgresDns.id
      publicNetworkAccess: 'Disabled'
    }
  }
  dependsOn: [
    postgresDnsLink
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2025-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: '${namePrefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
    vnetConfiguration: {
      infrastructureSubnetId: vnet.properties.subnets[0].id
      internal: false
    }
    zoneRedundant: true
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

resource silos 'Microsoft.App/containerApps@2025-01-01' = {
  name: '${namePrefix}-silos'
  location: location
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      // The DynamoDB API over HTTPS (TLS ends at the ingress). The silos reach each other directly on their
      // replica addresses (port 11111), inside the environment, which is how Orleans clusters in Container Apps.
      ingress: {
        external: true
        targetPort: apiPort
        transport: 'http'
        allowInsecure: false
      }
      secrets: concat([
        {
          name: 'postgres-connection'
          value: postgresConnection
        }
        {
          name: 'credentials-json'
          value: credentialsJson
        }
      ], useRegistry ? [
        {
          name: 'registry-password'
          value: registryPassword
        }
      ] : [])
      registries: useRegistry ? [
        {
          server: registryServer
          username: registryUsername
          passwordSecretRef: 'registry-password'
        }
      ] : []
    }
    template: {
      containers: [
        {
          name: 'silo'
          image: image
          // Appended to the image's entry point. Each replica advertises its own address (the image's
          // ODYN_ADVERTISEADDRESS=auto). The admin port listens beyond loopback for the probes, which the
          // server allows with SigV4 on.
          args: [
            // Zone-redundant HA fails over in about a minute or two: a replica that starts meanwhile waits.
            '--postgres-wait'
            '180'
            '--storage'
            'postgres'
            '--cluster'
            'postgres'
            '--cluster-id'
            clusterId
            '--auth'
            'sigv4'
            '--credentials-file'
            '/etc/orleansdynamo/credentials.json'
            '--port'
            string(apiPort)
            '--admin-port'
            string(adminPort)
            '--admin-address'
            '0.0.0.0'
          ]
          env: [
            {
              name: 'ODYN_POSTGRES'
              secretRef: 'postgres-connection'
            }
          ]
          resources: {
            cpu: json(siloCpu)
            memory: siloMemory
          }
          volumeMounts: [
            {
              volumeName: 'credentials'
              mountPath: '/etc/orleansdynamo'
            }
          ]
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: adminPort
              }
              periodSeconds: 5
              failureThreshold: 48
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: adminPort
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: adminPort
              }
              periodSeconds: 5
              failureThreshold: 2
            }
          ]
        }
      ]
      scale: {
        minReplicas: siloCount
        maxReplicas: siloCount
      }
      volumes: [
        {
          // The credentials secret as the file credentials.json.
          name: 'credentials'
          storageType: 'Secret'
          secrets: [
            {
              secretRef: 'credentials-json'
              path: 'credentials.json'
            }
          ]
        }
      ]
    }
  }
  dependsOn: [
    database
  ]
}

@description('The DynamoDB endpoint for SDKs (sign for region us-east-1 unless --region is added to the args).')
output endpoint string = 'https://${silos.properties.configuration.ingress.fqdn}'

@description('PostgreSQL\'s host name, resolvable inside the virtual network.')
output postgresHost string = postgres.properties.fullyQualifiedDomainName
