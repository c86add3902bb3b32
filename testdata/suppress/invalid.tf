# guard:ignore NET999, NET001 -- one unknown code, one good one
resource "aws_security_group" "typo" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# guard:ignore NET001 until=2027-02-30 -- no such day
resource "aws_security_group" "bad_date" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# guard-ignore NET001 -- misspelled directive
resource "aws_security_group" "misspelled" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# guard:ignore -- no code at all
resource "aws_security_group" "no_code" {}
