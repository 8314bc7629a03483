param namePrefix string
