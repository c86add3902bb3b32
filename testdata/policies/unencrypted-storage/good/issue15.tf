# ENC001 near misses for the shapes added for issue 15.

resource "aws_opensearch_domain" "search" {
  domain_name = "search"

  encrypt_at_rest {
    enabled = true
  }
}

resource "aws_kms_key" "eks" {
  description         = "eks secrets"
  enable_key_rotation = true
}

resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }
}

resource "aws_neptune_cluster" "graph" {
  cluster_identifier = "graph"
  engine             = "neptune"
  storage_encrypted  = true
}

resource "aws_neptune_cluster_snapshot" "graph" {
  db_cluster_identifier          = aws_neptune_cluster.graph.cluster_identifier
  db_cluster_snapshot_identifier = "graph-snapshot"
}

# A snapshot of a cluster outside this input: its encryption is not known here.
resource "aws_neptune_cluster_snapshot" "other" {
  db_cluster_identifier          = "managed-elsewhere"
  db_cluster_snapshot_identifier = "other-snapshot"
}

resource "aws_kinesis_firehose_delivery_stream" "events" {
  name        = "events"
  destination = "extended_s3"

  server_side_encryption {
    enabled  = true
    key_type = "AWS_OWNED_CMK"
  }

  extended_s3_configuration {
    role_arn   = "arn:aws:iam::123456789012:role/firehose"
    bucket_arn = "arn:aws:s3:::acme-events"
  }
}

# Reading from a Kinesis stream: the source stream's encryption applies.
resource "aws_kinesis_firehose_delivery_stream" "from_stream" {
  name        = "from-stream"
  destination = "extended_s3"

  kinesis_source_configuration {
    kinesis_stream_arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/events"
    role_arn           = "arn:aws:iam::123456789012:role/firehose"
  }

  extended_s3_configuration {
    role_arn   = "arn:aws:iam::123456789012:role/firehose"
    bucket_arn = "arn:aws:s3:::acme-events"
  }
}

resource "aws_redshiftserverless_namespace" "dw" {
  namespace_name = "dw"
  kms_key_id     = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_backup_vault" "main" {
  name        = "main"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                       = "vm"
  resource_group_name        = "rg"
  location                   = "westeurope"
  size                       = "Standard_D2s_v5"
  admin_username             = "azureuser"
  network_interface_ids      = ["/subscriptions/x/networkInterfaces/vm"]
  encryption_at_host_enabled = true

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "aks"

  default_node_pool {
    name                    = "system"
    node_count              = 1
    vm_size                 = "Standard_D2s_v5"
    host_encryption_enabled = true
  }
}

# A managed disk without encryption_settings still has platform server-side encryption.
resource "azurerm_managed_disk" "data" {
  name                 = "data"
  location             = "westeurope"
  resource_group_name  = "rg"
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 64
}

resource "google_kms_crypto_key" "gke" {
  name            = "gke"
  key_ring        = "projects/p/locations/europe-west1/keyRings/main"
  rotation_period = "7776000s"
}

resource "google_compute_disk" "data" {
  name = "data"
  zone = "europe-west1-b"
  size = 50

  disk_encryption_key {
    kms_key_self_link = google_kms_crypto_key.gke.id
  }
}

resource "google_container_cluster" "gke" {
  name     = "gke"
  location = "europe-west1"

  database_encryption {
    state    = "ENCRYPTED"
    key_name = google_kms_crypto_key.gke.id
  }
}
