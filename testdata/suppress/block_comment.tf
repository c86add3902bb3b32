/* guard:ignore NET001 -- written with a block comment
   that goes on over two lines */
resource "aws_security_group" "block" {
  egress {
    cidr_blocks = ["0.0.0.0/0"] /* guard:ignore NET002 -- same line, block style */
  }
}
