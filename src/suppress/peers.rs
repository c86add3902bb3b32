//! Peer suppressions, on request (`--respect-peer-ignores` or `respect-peer-ignores = true`):
//! `#checkov:skip=CKV_AWS_24:reason`, `#trivy:ignore:AVD-AWS-0107` and
//! `#tfsec:ignore:aws-ec2-no-public-egress-sgr` suppress the guard policy their check
//! corresponds to, with their reason, reported as `peer` suppressions.
//!
//! The correspondence is the table "Peer suppressions" in `policies/PARITY.md`; the data below
//! is checked against it by a test (`tests/it/adoption.rs`). Where each comment applies follows
//! the peer: a checkov skip anywhere inside a block covers that block; a trivy or tfsec ignore
//! alone on its line covers the block or attribute that follows, and after code its own line (a
//! block's opening line stands for the whole block).

use super::comments::scan_comments;
use crate::report::Suppression;
use crate::source::SourceFile;
use crate::stages::Triaged;
use std::sync::Arc;

/// checkov check ids and the guard policy each corresponds to.
pub const CHECKOV: &[(&str, &str)] = &[
    ("CKV_AWS_382", "NET001"),
    ("CKV_AWS_24", "NET002"),
    ("CKV_AWS_25", "NET002"),
    ("CKV_AWS_260", "NET002"),
    ("CKV_AWS_277", "NET002"),
    ("CKV_AZURE_9", "NET002"),
    ("CKV_AZURE_10", "NET002"),
    ("CKV_GCP_2", "NET002"),
    ("CKV_GCP_3", "NET002"),
    ("CKV_GCP_106", "NET002"),
    ("CKV_AWS_88", "NET003"),
    ("CKV_AWS_17", "NET005"),
    ("CKV_AWS_39", "NET005"),
    ("CKV_AWS_3", "ENC001"),
    ("CKV_AWS_8", "ENC001"),
    ("CKV_AWS_16", "ENC001"),
    ("CKV_AWS_19", "ENC001"),
    ("CKV_AWS_58", "ENC001"),
    ("CKV_AWS_74", "ENC001"),
    ("CKV_AWS_83", "ENC002"),
    ("CKV_AWS_81", "ENC002"),
    ("CKV_AWS_1", "IAM001"),
    ("CKV_AWS_62", "IAM001"),
    ("CKV_AWS_274", "IAM001"),
    ("CKV_AWS_70", "IAM002"),
    ("CKV_AWS_168", "IAM002"),
    ("CKV_AWS_169", "IAM002"),
    ("CKV_GCP_28", "IAM002"),
    ("CKV2_AWS_6", "STO001"),
    ("CKV_AWS_53", "STO001"),
    ("CKV_AWS_54", "STO001"),
    ("CKV_AWS_55", "STO001"),
    ("CKV_AWS_56", "STO001"),
    ("CKV_AWS_20", "STO001"),
    ("CKV_AWS_57", "STO001"),
    ("CKV_AWS_79", "CMP001"),
    ("CKV_AWS_67", "LOG001"),
    ("CKV_AWS_36", "LOG001"),
    ("CKV2_AWS_11", "LOG002"),
    ("CKV_AWS_91", "LOG003"),
    ("CKV_AWS_86", "LOG003"),
    ("CKV_AWS_157", "AVL001"),
    ("CKV_AWS_133", "AVL002"),
    ("CKV_AWS_28", "AVL002"),
    ("CKV2_AWS_28", "NET004"),
    ("CKV_AWS_68", "NET004"),
    ("CKV_AWS_150", "DEL002"),
    ("CKV_TF_1", "SUP001"),
    ("CKV_TF_2", "SUP001"),
];

/// trivy check ids, the long names tfsec and trivy also accept, and the guard policy each
/// corresponds to.
pub const TRIVY: &[(&str, &str, &str)] = &[
    ("AVD-AWS-0104", "aws-ec2-no-public-egress-sgr", "NET001"),
    ("AVD-AZU-0051", "azure-network-no-public-egress", "NET001"),
    ("AVD-AWS-0107", "aws-ec2-no-public-ingress-sgr", "NET002"),
    ("AVD-AWS-0105", "aws-ec2-no-public-ingress-acl", "NET002"),
    ("AVD-AZU-0047", "azure-network-no-public-ingress", "NET002"),
    ("AVD-GCP-0027", "google-compute-no-public-ingress", "NET002"),
    ("AVD-AWS-0040", "aws-eks-no-public-cluster-access", "NET005"),
    (
        "AVD-AWS-0041",
        "aws-eks-no-public-cluster-access-to-cidr",
        "NET005",
    ),
    (
        "AVD-AWS-0080",
        "aws-rds-encrypt-instance-storage-data",
        "ENC001",
    ),
    ("AVD-AWS-0088", "aws-s3-enable-bucket-encryption", "ENC001"),
    ("AVD-AWS-0039", "aws-eks-encrypt-secrets", "ENC001"),
    ("AVD-AWS-0057", "aws-iam-no-policy-wildcards", "IAM001"),
    ("AVD-AWS-0086", "aws-s3-block-public-acls", "STO001"),
    ("AVD-AWS-0087", "aws-s3-block-public-policy", "STO001"),
    ("AVD-AWS-0091", "aws-s3-ignore-public-acls", "STO001"),
    ("AVD-AWS-0093", "aws-s3-no-public-buckets", "STO001"),
    ("AVD-AWS-0092", "aws-s3-no-public-access-with-acl", "STO001"),
    (
        "AVD-AWS-0094",
        "aws-s3-specify-public-access-block",
        "STO001",
    ),
    ("AVD-AWS-0028", "aws-ec2-enforce-http-token-imds", "CMP001"),
    (
        "AVD-AWS-0014",
        "aws-cloudtrail-enable-all-regions",
        "LOG001",
    ),
    (
        "AVD-AWS-0016",
        "aws-cloudtrail-enable-log-validation",
        "LOG001",
    ),
];

/// The guard policy a peer's check id corresponds to (case-insensitive).
pub fn guard_code(tool: Tool, id: &str) -> Option<&'static str> {
    match tool {
        Tool::Checkov => CHECKOV
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(id))
            .map(|(_, g)| *g),
        Tool::Trivy | Tool::Tfsec => TRIVY
            .iter()
            .find(|(avd, name, _)| {
                avd.eq_ignore_ascii_case(id)
                    || avd
                        .strip_prefix("AVD-")
                        .is_some_and(|short| short.eq_ignore_ascii_case(id))
                    || name.eq_ignore_ascii_case(id)
            })
            .map(|(_, _, g)| *g),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Checkov,
    Trivy,
    Tfsec,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Checkov => "checkov",
            Tool::Trivy => "trivy",
            Tool::Tfsec => "tfsec",
        }
    }
}

/// One peer comment that maps to a guard policy.
#[derive(Debug, Clone)]
pub struct PeerIgnore {
    pub file: Arc<str>,
    /// 1-based line of the comment.
    pub line: usize,
    /// The lines it covers (inclusive).
    pub first: usize,
    pub last: usize,
    pub code: &'static str,
    /// As written, e.g. `checkov:skip=CKV_AWS_24`.
    pub written: String,
    pub reason: String,
}

/// Reads a peer directive from a comment's body: the tool, the check id and the reason.
fn parse(body: &str) -> Option<(Tool, String, String)> {
    let body = body.trim_start_matches(['*', '/', '#']).trim();
    if let Some(rest) = body.strip_prefix("checkov:skip=") {
        let (id, reason) = rest.split_once(':').unwrap_or((rest, ""));
        let id = id.split_whitespace().next().unwrap_or("");
        return Some((Tool::Checkov, id.to_string(), reason.trim().to_string()));
    }
    for (prefix, tool) in [
        ("trivy:ignore:", Tool::Trivy),
        ("tfsec:ignore:", Tool::Tfsec),
    ] {
        if let Some(rest) = body.strip_prefix(prefix) {
            let mut words = rest.splitn(2, char::is_whitespace);
            let id = words.next().unwrap_or("");
            // trivy and tfsec take options after the id (`:exp:2025-01-02`, `[key=value]`).
            let id = id.split([':', '[']).next().unwrap_or("");
            let reason = words
                .next()
                .unwrap_or("")
                .trim()
                .trim_start_matches(['-', ' ']);
            return Some((tool, id.to_string(), reason.trim().to_string()));
        }
    }
    None
}

/// The last line of the block opened on `line` (by brace depth outside strings), or `line`.
fn block_end(file: &SourceFile, line: usize) -> usize {
    let Some((start, end)) = file.line_range(line) else {
        return line;
    };
    let text: &str = &file.text;
    let Some(open) = text.get(start..end).and_then(|l| l.rfind('{')) else {
        return line;
    };
    let mut depth = 0usize;
    let mut in_string = false;
    let bytes = text.as_bytes();
    let mut i = start + open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'\n' => in_string = false,
            b'{' if !in_string => depth += 1,
            b'}' if !in_string => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return file.line_col(i).0;
                }
            }
            _ => {}
        }
        i += 1;
    }
    line
}

/// The block (its first and last line) that encloses `line`: the nearest opening line above
/// whose block reaches past it.
fn enclosing_block(file: &SourceFile, line: usize) -> Option<(usize, usize)> {
    (1..line).rev().find_map(|candidate| {
        let (start, end) = file.line_range(candidate)?;
        let text = file.text.get(start..end)?;
        let opens_top_level = !text.starts_with([' ', '\t']) && text.trim_end().ends_with('{');
        if !opens_top_level {
            return None;
        }
        let last = block_end(file, candidate);
        (last >= line).then_some((candidate, last))
    })
}

/// Every peer comment in a file that maps to a guard policy.
pub fn parse_file(path: &Arc<str>, file: &SourceFile) -> Vec<PeerIgnore> {
    let text: &str = &file.text;
    if !text.contains("checkov:skip")
        && !text.contains("trivy:ignore")
        && !text.contains("tfsec:ignore")
    {
        return Vec::new();
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::new();
    for comment in scan_comments(text) {
        let Some((tool, id, reason)) = parse(&comment.body) else {
            continue;
        };
        let Some(code) = guard_code(tool, &id) else {
            continue;
        };
        let line = file.line_col(comment.start).0;
        let (first, last) = match tool {
            // checkov reads a skip anywhere inside the resource block.
            Tool::Checkov => match enclosing_block(file, line) {
                Some(block) => block,
                None => continue,
            },
            Tool::Trivy | Tool::Tfsec => {
                let target = if comment.trailing {
                    Some(line)
                } else {
                    (line + 1..=lines.len()).find(|l| {
                        let t = lines[l - 1].trim();
                        !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
                    })
                };
                match target {
                    Some(t) => (t, block_end(file, t)),
                    None => continue,
                }
            }
        };
        let separator = if tool == Tool::Checkov {
            "skip="
        } else {
            "ignore:"
        };
        out.push(PeerIgnore {
            file: path.clone(),
            line,
            first,
            last,
            code,
            written: format!("{}:{separator}{id}", tool.name()),
            reason,
        });
    }
    out
}

/// Marks the findings peer comments cover: one of the finding's origins (its place, the block,
/// the values behind it, the module call) starts on a covered line.
pub fn apply(triaged: &mut Triaged) {
    let mut ignores: Vec<PeerIgnore> = Vec::new();
    for (path, file) in triaged.sources.iter() {
        if path.ends_with(".json") {
            continue;
        }
        ignores.extend(parse_file(path, file));
    }
    if ignores.is_empty() {
        return;
    }
    let sources = &triaged.sources;
    for rf in triaged.findings.iter_mut() {
        if rf.suppression.is_some() {
            continue;
        }
        let f = &rf.finding;
        let origins = f
            .location
            .iter()
            .chain(f.related.iter())
            .chain(f.module_calls.iter());
        let mut covering = None;
        for origin in origins {
            let Some((line, _)) = sources.line_col(&origin.file, origin.start as usize) else {
                continue;
            };
            covering = ignores.iter().find(|p| {
                p.code == f.code && *p.file == *origin.file && p.first <= line && line <= p.last
            });
            if covering.is_some() {
                break;
            }
        }
        if let Some(p) = covering {
            let reason = if p.reason.is_empty() {
                format!("{} (no reason given)", p.written)
            } else {
                format!("{}: {}", p.written, p.reason)
            };
            rf.suppression = Some(Suppression {
                kind: "peer",
                reason,
                file: Some(p.file.to_string()),
                line: Some(p.line),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_directives_are_read_with_their_reasons() {
        assert_eq!(
            parse("checkov:skip=CKV_AWS_24:bastion, OPS-12"),
            Some((Tool::Checkov, "CKV_AWS_24".into(), "bastion, OPS-12".into()))
        );
        assert_eq!(
            parse(" trivy:ignore:AVD-AWS-0107"),
            Some((Tool::Trivy, "AVD-AWS-0107".into(), String::new()))
        );
        assert_eq!(
            parse("tfsec:ignore:aws-ec2-no-public-egress-sgr Required to pull images"),
            Some((
                Tool::Tfsec,
                "aws-ec2-no-public-egress-sgr".into(),
                "Required to pull images".into()
            ))
        );
        assert_eq!(
            parse("trivy:ignore:AVD-AWS-0104:exp:2030-01-01"),
            Some((Tool::Trivy, "AVD-AWS-0104".into(), String::new()))
        );
        assert_eq!(parse("just a comment"), None);
    }

    #[test]
    fn ids_map_to_guard_policies() {
        assert_eq!(guard_code(Tool::Checkov, "ckv_aws_24"), Some("NET002"));
        assert_eq!(guard_code(Tool::Trivy, "AVD-AWS-0107"), Some("NET002"));
        assert_eq!(guard_code(Tool::Trivy, "AWS-0107"), Some("NET002"));
        assert_eq!(
            guard_code(Tool::Tfsec, "aws-ec2-no-public-egress-sgr"),
            Some("NET001")
        );
        assert_eq!(guard_code(Tool::Checkov, "CKV_AWS_999"), None);
    }
}
