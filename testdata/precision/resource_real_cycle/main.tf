# A real cycle: the key policy names the key it belongs to. Terraform rejects this ("Error:
# Cycle"); the policy of an existing key goes in `aws_kms_key_policy` (see key_policy_resource).
resource "aws_kms_key" "this" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}

data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}
