use crate::model::ModuleCall;
use crate::policy::Check;
use crate::{declare_policy, Context, Severity};
use std::collections::BTreeSet;

declare_policy! {
    /// ## What it checks
    /// Module calls and Terragrunt `terraform.source` addresses that do not name an immutable
    /// version of the code they fetch.
    ///
    /// Covered: `module` blocks (in every module guard evaluates, and in a plan's
    /// `configuration.root_module.module_calls`) and Terragrunt units' `terraform { source }`.
    /// Git, GitHub, Bitbucket and Mercurial sources are pinned only by `?ref=` a full commit id
    /// (40 or 64 hex digits); a tag-looking ref (`v1.2.0`, `vpc-1.2.0`) or an abbreviated commit
    /// is reported at low severity, a branch or no `ref` at medium. S3, GCS and HTTP archives are
    /// pinned by go-getter's `?checksum=` (or an S3 object `version=`), otherwise medium.
    /// Registry modules (`namespace/name/provider`, a private registry host, Terragrunt
    /// `tfr://`) need an exact `version` (`"5.1.0"` or `"= 5.1.0"`): a range (`~> 5.0`,
    /// `>= 1`) is low, no version at all is medium. Local paths (`./`, `../`, an absolute path
    /// from a Terragrunt function) are never findings, and neither are calls inside modules
    /// downloaded under `.terraform/`, which their authors pin. A source guard cannot evaluate
    /// (a Terragrunt function of the environment, an OpenTofu variable) is reported at low
    /// severity and says so.
    ///
    /// Medium by default: a hygiene control, not a direct exposure. Credentials in a source
    /// URL (`https://user:token@host/...`, query parameters other than `ref`, `version` and
    /// `checksum`) are never shown.
    ///
    /// ## Why it matters
    /// A branch, a movable tag or a version range lets whoever can push to that repository or
    /// publish to that registry namespace change what the next `terraform init` downloads, and
    /// so what runs with your cloud credentials, without any change in your repository. Review
    /// of the module then reviewed code that is no longer the code applied.
    ///
    /// ## Example
    /// ```hcl
    /// module "vpc" {
    ///   source = "git::https://github.com/acme/terraform-vpc.git?ref=main"
    /// }
    ///
    /// module "eks" {
    ///   source  = "terraform-aws-modules/eks/aws"
    ///   version = "~> 20.0"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// module "vpc" {
    ///   source = "git::https://github.com/acme/terraform-vpc.git?ref=3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39"
    /// }
    ///
    /// module "eks" {
    ///   source  = "terraform-aws-modules/eks/aws"
    ///   version = "20.8.4"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://developer.hashicorp.com/terraform/language/modules/sources>
    /// - <https://developer.hashicorp.com/terraform/language/modules/syntax#version>
    /// - <https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/#terraform>
    /// - <https://github.com/hashicorp/go-getter#checksumming>
    pub static UNPINNED_SOURCE = {
        code: "SUP001",
        name: "unpinned-source",
        severity: Medium,
        inputs: Both,
        check: Check::Model(check),
    }
}

/// What a source address is, as Terraform (and go-getter, for Terragrunt) reads it.
#[derive(Debug, PartialEq)]
enum SourceKind {
    Local,
    /// A registry address; the version comes from `version` or, for `tfr://`, `?version=`.
    Registry {
        query_version: Option<String>,
    },
    /// Git, Mercurial: pinned by `ref`.
    Vcs,
    /// S3, GCS, HTTP: an archive, pinned by `checksum`.
    Archive,
    /// Something guard does not recognise as remote (Terragrunt's relative paths).
    Other,
}

/// The value of `name=` in the query string of `source`. go-getter also accepts the
/// subdirectory after the query (`repo?ref=v1.0//modules/vpc`), so `//` ends a value.
fn query_param(source: &str, name: &str) -> Option<String> {
    let (_, query) = source.split_once('?')?;
    let query = query.split("//").next().unwrap_or(query);
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_string())
    })
}

fn is_registry_part(part: &str) -> bool {
    !part.is_empty()
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn classify(source: &str) -> SourceKind {
    let s = source.trim();
    if s.starts_with("./")
        || s.starts_with("../")
        || s.starts_with(".\\")
        || s.starts_with("..\\")
        || s.starts_with('/')
        || s == "."
        || s == ".."
    {
        return SourceKind::Local;
    }
    let lower = s.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("tfr://") {
        let _ = rest;
        return SourceKind::Registry {
            query_version: query_param(s, "version"),
        };
    }
    // A forced getter (`git::`, `s3::`) decides, whatever follows.
    if let Some((getter, _)) = lower.split_once("::") {
        if !getter.contains('/') {
            return match getter {
                "git" | "hg" => SourceKind::Vcs,
                "s3" | "gcs" | "http" | "https" => SourceKind::Archive,
                "file" => SourceKind::Local,
                _ => SourceKind::Other,
            };
        }
    }
    if lower.starts_with("git@")
        || lower.starts_with("ssh://")
        || lower.starts_with("github.com/")
        || lower.starts_with("bitbucket.org/")
        || lower.starts_with("git://")
    {
        return SourceKind::Vcs;
    }
    let path = lower.split(['?', '#']).next().unwrap_or("");
    if path.contains(".s3.amazonaws.com/")
        || path.contains(".s3-")
        || path.starts_with("s3.amazonaws.com/")
        || path.starts_with("s3-")
        || path.starts_with("www.googleapis.com/storage/")
    {
        return SourceKind::Archive;
    }
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return SourceKind::Archive;
    }
    let address = path.split("//").next().unwrap_or("");
    let parts: Vec<&str> = address.split('/').collect();
    let registry = match parts.as_slice() {
        [ns, name, provider] => [ns, name, provider].iter().all(|p| is_registry_part(p)),
        [host, ns, name, provider] => {
            host.contains('.')
                && !host.contains("github.com")
                && !host.contains("bitbucket.org")
                && [ns, name, provider].iter().all(|p| is_registry_part(p))
        }
        _ => false,
    };
    if registry {
        return SourceKind::Registry {
            query_version: None,
        };
    }
    SourceKind::Other
}

fn is_hex(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_hexdigit())
}

/// A ref that reads like a release: it holds a `major.minor` number (`v1.2.0`, `vpc-1.2`).
fn looks_like_tag(r: &str) -> bool {
    let b = r.as_bytes();
    b.windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit())
}

/// An exact version constraint: one version, with no operator but `=`.
fn is_exact_version(constraint: &str) -> bool {
    let c = constraint.trim();
    let c = c.strip_prefix('=').unwrap_or(c).trim();
    !c.is_empty()
        && !c.contains(',')
        && c.chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_digit() || ch == 'v')
        && !c.contains(['<', '>', '~', '!', '*', ' '])
}

fn check(ctx: &mut Context<'_>) {
    let model = ctx.model;
    let mut seen = BTreeSet::new();
    for call in model.module_calls() {
        // The source belongs to the block: a module called from several places (or with
        // `count`) is one finding at its `source` line, under the first address that uses it.
        let key = match &call.location {
            Some(o) => (o.file.to_string(), o.start),
            None => (call.address.clone(), 0),
        };
        if !seen.insert(key) {
            continue;
        }
        let downloaded = call
            .location
            .as_ref()
            .is_some_and(|o| o.file.starts_with(".terraform/") || o.file.contains("/.terraform/"));
        if !downloaded {
            check_call(ctx, call);
        }
    }
}

fn report(ctx: &mut Context<'_>, call: &ModuleCall, message: String, severity: Option<Severity>) {
    let finding = ctx.report_global(Some(call.address.clone()), message);
    finding.location = call.location.clone();
    if let Some(severity) = severity {
        finding.severity(severity);
    }
}

fn check_call(ctx: &mut Context<'_>, call: &ModuleCall) {
    let what = if call.address == "terraform.source" {
        "terraform.source"
    } else {
        "module source"
    };
    let Some(source) = call.source.as_deref() else {
        report(
            ctx,
            call,
            format!("{what} could not be evaluated, so guard cannot tell whether it is pinned"),
            Some(Severity::Low),
        );
        return;
    };
    match classify(source) {
        SourceKind::Local | SourceKind::Other => {}
        SourceKind::Registry { query_version } => {
            let version = call.version.clone().or(query_version);
            match version {
                None => report(
                    ctx,
                    call,
                    format!("registry module `{source}` has no `version`: every `terraform init` may take a newer release"),
                    None,
                ),
                Some(v) if is_exact_version(&v) => {}
                Some(v) => report(
                    ctx,
                    call,
                    format!("registry module `{source}` allows a range of versions (`{v}`): pin one exact version"),
                    Some(Severity::Low),
                ),
            }
        }
        SourceKind::Vcs => match query_param(source, "ref") {
            Some(r) if (r.len() == 40 || r.len() == 64) && is_hex(&r) => {}
            Some(r) if r.len() >= 7 && is_hex(&r) => report(
                ctx,
                call,
                format!("{what} `{source}` uses an abbreviated commit id: pin the full 40-character sha"),
                Some(Severity::Low),
            ),
            Some(r) if looks_like_tag(&r) => report(
                ctx,
                call,
                format!("{what} `{source}` is pinned to the tag `{r}`, which can be moved: pin a full commit sha"),
                Some(Severity::Low),
            ),
            Some(r) => report(
                ctx,
                call,
                format!("{what} `{source}` follows the branch `{r}`: pin a full commit sha"),
                None,
            ),
            None => report(
                ctx,
                call,
                format!("{what} `{source}` has no `ref`: every `terraform init` takes the default branch's head; pin a full commit sha"),
                None,
            ),
        },
        SourceKind::Archive => {
            let pinned = query_param(source, "checksum").is_some()
                || (source.to_ascii_lowercase().starts_with("s3::")
                    || source.contains(".s3"))
                    && query_param(source, "version").is_some();
            if !pinned {
                report(
                    ctx,
                    call,
                    format!("{what} `{source}` is an archive without a `checksum`: its content can change under the same address"),
                    None,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_documented_source_forms() {
        assert_eq!(classify("./modules/vpc"), SourceKind::Local);
        assert_eq!(classify("../vpc"), SourceKind::Local);
        assert_eq!(
            classify("terraform-aws-modules/vpc/aws"),
            SourceKind::Registry {
                query_version: None
            }
        );
        assert_eq!(
            classify("app.terraform.io/acme/vpc/aws"),
            SourceKind::Registry {
                query_version: None
            }
        );
        assert_eq!(
            classify("tfr:///terraform-aws-modules/vpc/aws?version=5.1.0"),
            SourceKind::Registry {
                query_version: Some("5.1.0".into())
            }
        );
        assert_eq!(classify("github.com/hashicorp/example"), SourceKind::Vcs);
        assert_eq!(classify("bitbucket.org/acme/vpc"), SourceKind::Vcs);
        assert_eq!(classify("git@github.com:acme/vpc.git"), SourceKind::Vcs);
        assert_eq!(
            classify("git::https://example.com/vpc.git"),
            SourceKind::Vcs
        );
        assert_eq!(classify("hg::http://example.com/vpc.hg"), SourceKind::Vcs);
        assert_eq!(
            classify("s3::https://s3.amazonaws.com/b/vpc.zip"),
            SourceKind::Archive
        );
        assert_eq!(
            classify("acme.s3.amazonaws.com/vpc.zip"),
            SourceKind::Archive
        );
        assert_eq!(
            classify("gcs::https://www.googleapis.com/storage/v1/b/vpc.zip"),
            SourceKind::Archive
        );
        assert_eq!(classify("https://example.com/vpc.zip"), SourceKind::Archive);
        assert_eq!(classify("github.com/acme/vpc/aws"), SourceKind::Vcs);
    }

    #[test]
    fn exact_versions_and_tags() {
        assert!(is_exact_version("5.1.0"));
        assert!(is_exact_version("= 5.1.0"));
        assert!(!is_exact_version("~> 5.0"));
        assert!(!is_exact_version(">= 1"));
        assert!(!is_exact_version(">= 1.0, < 2.0"));
        assert!(looks_like_tag("v1.2.0"));
        assert!(looks_like_tag("vpc-1.2"));
        assert!(!looks_like_tag("main"));
        assert!(!looks_like_tag("release"));
    }

    #[test]
    fn a_subdirectory_after_the_query_is_not_part_of_the_ref() {
        assert_eq!(
            query_param("github.com/acme/modules?ref=v0.0.28//S3", "ref").as_deref(),
            Some("v0.0.28")
        );
        assert_eq!(
            query_param("git::https://example.com/m.git?depth=1&ref=main", "ref").as_deref(),
            Some("main")
        );
    }
}
