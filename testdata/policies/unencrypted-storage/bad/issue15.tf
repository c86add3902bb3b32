# ENC001 shapes added for issue 15.

# Flagged: no encrypt_at_rest block, which defaults to off.
resource "aws_opensearch_domain" "search" {
  domain_name = "search"
}

# Flagged: encryption at rest turned off.
resource "aws_elasticsearch_domain" "legacy" {
  domain_name = "legacy"

  encrypt_at_rest {
    enabled = false
  }
}

# Flagged (medium): no encryption_config, so secrets get no envelope encryption with a KMS key.
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  }
}

# Flagged: the snapshot of an unencrypted cluster (the cluster itself is flagged too).
resource "aws_neptune_cluster" "graph" {
  cluster_identifier = "graph"
  engine             = "neptune"
}

resource "aws_neptune_cluster_snapshot" "graph" {
  db_cluster_identifier          = aws_neptune_cluster.graph.cluster_identifier
  db_cluster_snapshot_identifier = "graph-snapshot"
}

# Flagged (medium): a Direct PUT stream without server-side encryption.
resource "aws_kinesis_firehose_delivery_stream" "events" {
  name        = "events"
  destination = "extended_s3"

  extended_s3_configuration {
    role_arn   = "arn:aws:iam::123456789012:role/firehose"
    bucket_arn = "arn:aws:s3:::acme-events"
  }
}

# Flagged (low): encrypted only with AWS keys.
resource "aws_redshiftserverless_namespace" "dw" {
  namespace_name = "dw"
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/sagemaker"
  instance_type = "ml.t3.medium"
}

resource "aws_backup_vault" "main" {
  name = "main"
}

# Flagged (medium): no encryption at host.
resource "azurerm_linux_virtual_machine" "vm" {
  name                  = "vm"
  resource_group_name   = "rg"
  location              = "westeurope"
  size                  = "Standard_D2s_v5"
  admin_username        = "azureuser"
  network_interface_ids = ["/subscriptions/x/networkInterfaces/vm"]

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
}

resource "azurerm_windows_virtual_machine_scale_set" "vmss" {
  name                       = "vmss"
  resource_group_name        = "rg"
  location                   = "westeurope"
  sku                        = "Standard_D2s_v5"
  instances                  = 2
  admin_username             = "azureuser"
  admin_password             = var.admin_password
  encryption_at_host_enabled = false
}

variable "admin_password" {
  type      = string
  sensitive = true
  default   = "not-a-real-password"
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "aks"

  default_node_pool {
    name       = "system"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                   = "user"
  kubernetes_cluster_id  = azurerm_kubernetes_cluster.aks.id
  vm_size                = "Standard_D2s_v5"
  enable_host_encryption = false
}

# Flagged (medium): Azure Disk Encryption turned off.
resource "azurerm_managed_disk" "data" {
  name                 = "data"
  location             = "westeurope"
  resource_group_name  = "rg"
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 64

  encryption_settings {
    enabled = false
  }
}

# Flagged (low): only a Google-managed key.
resource "google_compute_disk" "data" {
  name = "data"
  zone = "europe-west1-b"
  size = 50
}

# Flagged (medium): application-layer secrets encryption off.
resource "google_container_cluster" "gke" {
  name     = "gke"
  location = "europe-west1"

  database_encryption {
    state = "DECRYPTED"
  }
}
