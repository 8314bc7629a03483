using './main.bicep'

param namePrefix = 'dvogate'
param environmentName = 'dev'
// Replace with your app registration's Application (client) id.
param entraClientId = '00000000-0000-0000-0000-000000000000'
param timeZone = 'Europe/London'
param maximumInstanceCount = 10
// No always-ready instance in dev: it scales to zero (first request waits for a cold start).
param alwaysReadyHttpInstances = 0
