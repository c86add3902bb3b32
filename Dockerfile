# guard in a static image: one statically linked binary (musl) and the CA certificates that
# `--github` needs to reach the GitHub API (rustls reads the system roots), nothing else.
#
#   docker build -t guard .
#   docker run --rm -v "$PWD:/src" -w /src guard guard .
#
# The image runs as an unprivileged user; to write reports into the mounted directory
# (--sarif-file), add --user "$(id -u):$(id -g)".

FROM rust:1.95-alpine3.22 AS build
# ring compiles C and assembly; musl-dev is its libc. Rust links musl binaries statically.
RUN apk add --no-cache musl-dev=~1.2
WORKDIR /build
COPY . .
RUN cargo build --release --locked --bin guard \
 && ./target/release/guard --version

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /build/target/release/guard /usr/local/bin/guard
ENV PATH=/usr/local/bin \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 65532:65532
WORKDIR /src
CMD ["guard", "--help"]
