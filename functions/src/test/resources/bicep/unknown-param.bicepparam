using './broken-target.bicep'

param nameprefix = 'typo'
