//! `guard.toml`: the checked-in configuration (see issue "pre-commit hook, guard.toml, and inline
//! suppressions").
//!
//! The file is found at the scan root (the first path when it is a directory, else that file's
//! directory), then in each parent up to the git root; `--config FILE` names it instead. Every key
//! is documented in `docs/configuration.md`.
//!
//! Parsing is strict: an unknown key, a wrong type, an unknown policy code or a bad glob is an
//! input error with the file, line and column and, where there is a closed set, the valid choices.
//! Flags on the command line win over the file; `main.rs` applies them after [`prepare`].

use crate::error::{InputError, SourceKind};
use crate::two_person::{self, PullRequestRules, RuleFile};
use crate::Options;
use globset::{Glob, GlobBuilder, GlobMatcher};
use guard_policies::{Privileged, PrivilegedConfig, Registry, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// The file name looked for at the scan root.
pub const FILE_NAME: &str = "guard.toml";

/// Command-line flags about configuration and suppressions.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// Read this configuration file instead of `guard.toml` at the scan root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every inline suppression and config ignore (for audits).
    #[arg(long)]
    pub no_ignore: bool,
    /// Only read Terraform/Terragrunt files matching these globs (replaces `include` in the config).
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub include: Vec<String>,
    /// Skip files and directories matching these globs (added to `exclude` in the config).
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// Honour checkov, trivy and tfsec suppression comments for the guard policy their check
    /// corresponds to (also `respect-peer-ignores = true` in guard.toml).
    #[arg(long)]
    pub respect_peer_ignores: bool,
}

/// `[approval]`: who must approve a privileged deletion (read by the GitHub approval check).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Approval {
    /// Distinct approvals needed (also copied into `Settings.required_approvals`).
    pub required: Option<usize>,
    /// Approvers must be active members of one of these teams (`org/team-slug` or `team-slug`).
    pub teams: Vec<String>,
    /// Members of this team may override with `/guard override: reason`.
    pub break_glass_team: Option<String>,
}

/// A `[per-path-ignores]` entry: these policies do not count in files under these paths.
#[derive(Debug, Clone)]
pub struct PathIgnore {
    pub pattern: String,
    matcher: GlobMatcher,
    /// Policy codes (canonical, upper case).
    pub codes: Vec<&'static str>,
    /// 1-based line of the entry in the config file.
    pub line: usize,
}

impl PathIgnore {
    /// True when `rel` (a `/`-separated path relative to the config's directory) or one of its
    /// parent directories matches.
    pub fn matches(&self, rel: &str) -> bool {
        let mut prefix = rel;
        loop {
            if self.matcher.is_match(prefix) {
                return true;
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => return false,
            }
        }
    }
}

/// A `[[suppress]]` entry: findings of these policies on resources matching these address globs
/// are suppressed (plans have no comments to carry an inline suppression).
#[derive(Debug, Clone)]
pub struct AddressSuppression {
    pub codes: Vec<&'static str>,
    pub addresses: Vec<String>,
    matchers: Vec<GlobMatcher>,
    pub reason: String,
    /// `(year, month, day)`: after this day the entry stops suppressing.
    pub until: Option<(i32, u32, u32)>,
    pub line: usize,
}

impl AddressSuppression {
    pub fn matches_address(&self, address: &str) -> bool {
        self.matchers.iter().any(|m| m.is_match(address))
    }
}

/// The configuration file, validated.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub select: Vec<&'static str>,
    pub ignore: Vec<&'static str>,
    pub fail_on: Option<Severity>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub per_path_ignores: Vec<PathIgnore>,
    pub privileged: PrivilegedConfig,
    pub approval: Approval,
    pub ingress_allowed_ports: Option<Vec<u16>>,
    pub mass_deletion_threshold: Option<usize>,
    pub strict_dynamodb_encryption: Option<bool>,
    pub suppress: Vec<AddressSuppression>,
    /// The registry the file was read against, with the file's `[[rules]]` added.
    pub registry: Registry,
    /// `[policies.CODE]` tables, checked against each policy's settings type.
    pub policy_config: BTreeMap<String, toml::Value>,
    /// `baseline = "FILE"`: the baseline file, relative to the configuration file.
    pub baseline: Option<String>,
    /// `respect-peer-ignores = true`: checkov, trivy and tfsec comments suppress too.
    pub respect_peer_ignores: bool,
}

/// What the configuration contributes after options are built (suppressions by path and address,
/// approval settings for the GitHub side).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// `--no-ignore`: no inline suppression, `[per-path-ignores]` or `[[suppress]]` applies.
    pub no_ignore: bool,
    /// The configuration file read, as displayed in messages; `None` when there was none.
    pub file: Option<String>,
    /// Its text, so findings about it (unused or expired entries) can point at a line.
    pub text: Option<Arc<str>>,
    /// The directory `[per-path-ignores]` patterns are relative to (the config file's).
    pub root: Option<PathBuf>,
    pub per_path_ignores: Vec<PathIgnore>,
    pub suppress: Vec<AddressSuppression>,
    /// `[approval]` as written (`required` is also in `Settings.required_approvals`).
    pub approval: Approval,
    /// `[severity]` overrides by policy code (also in `Options.severity_overrides`).
    pub severity_overrides: BTreeMap<String, Severity>,
    /// The registry before the file's `[[rules]]` (the binary's), which other `guard.toml`
    /// files of the run are read against.
    pub base_registry: Registry,
    /// `baseline = "FILE"`, resolved against the configuration file's directory.
    pub baseline: Option<PathBuf>,
    /// Peer suppression comments count (`--respect-peer-ignores` or the `guard.toml` key).
    pub respect_peer_ignores: bool,
}

impl Loaded {
    /// `[approval]` as the GitHub approval check takes it (`GithubArgs.approval`); keys not in
    /// the file keep their defaults.
    pub fn github_approval(&self) -> crate::two_person::ApprovalConfig {
        let default = crate::two_person::ApprovalConfig::default();
        crate::two_person::ApprovalConfig {
            required: self.approval.required.unwrap_or(default.required),
            teams: self.approval.teams.clone(),
            break_glass_team: self.approval.break_glass_team.clone(),
            team_groups: Vec::new(),
        }
    }

    /// `file` relative to the config's directory, with `/` separators, when it is under it.
    pub fn relative_path(&self, file: &str) -> Option<String> {
        let root = self.root.as_ref()?;
        let abs = normalize(&absolute(Path::new(file)));
        let rel = abs.strip_prefix(root).ok()?;
        Some(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }
}

/// Finds and reads the configuration, applying it to `options` (the CLI overrides the file;
/// `main.rs` applies `--fail-on`, `--select` and `--ignore` after this call).
pub fn prepare(
    args: &ConfigArgs,
    paths: &[PathBuf],
    options: &mut Options,
) -> Result<Loaded, InputError> {
    let file = match &args.config {
        Some(file) => Some(file.clone()),
        None => discover(paths),
    };
    let mut loaded = Loaded {
        no_ignore: args.no_ignore,
        base_registry: options.registry.clone(),
        respect_peer_ignores: args.respect_peer_ignores,
        ..Loaded::default()
    };
    if let Some(file) = file {
        let name = crate::display_path(&file);
        let text = std::fs::read_to_string(&file).map_err(|e| {
            InputError::new(&name, format!("cannot read file: {}", crate::io_reason(&e)))
        })?;
        // Its findings (an expired suppression) point into it with 32-bit offsets.
        if crate::load::too_large(text.len() as u64) {
            return Err(crate::load::too_large_error(&name));
        }
        let config = parse_with(&name, &text, &options.registry)?;
        let dir = file.parent().unwrap_or(Path::new("."));
        loaded.root = Some(normalize(&absolute(dir)));
        loaded.file = Some(name);
        loaded.text = Some(Arc::from(text));
        config
            .apply(options, &mut loaded)
            .map_err(|message| InputError::new(loaded.file.clone().unwrap_or_default(), message))?;
        // Relative to the configuration file, as every path in it.
        loaded.baseline = loaded.baseline.take().map(|b| dir.join(b));
    }
    if !args.include.is_empty() {
        options.hcl.include = args.include.clone();
    }
    options.hcl.exclude.extend(args.exclude.iter().cloned());
    Ok(loaded)
}

/// The configuration file for a scan of `paths`: `guard.toml` in the scan root or a parent
/// directory up to the git root.
pub fn discover(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let start = if first.is_dir() {
        first
    } else {
        match first.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    let start_abs = normalize(&absolute(&start));
    // Walk up only inside a git repository; outside one, only the scan root counts, so a stray
    // guard.toml in a home directory never applies to an unrelated scan.
    let in_git = start_abs.ancestors().any(|d| d.join(".git").exists());
    for (depth, dir) in start_abs.ancestors().enumerate() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            // Show it relative to the scan root as given, when it is the scan root itself.
            return Some(if depth == 0 {
                start.join(FILE_NAME)
            } else {
                candidate
            });
        }
        if !in_git || dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Every `guard.toml` from each scan path's directory up to its git root, not only the nearest
/// (outside a git repository, only the scan root's), each once, nearest first.
pub fn chain(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    let defaults = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    for path in paths {
        let start = if path.is_dir() {
            path.clone()
        } else {
            match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        };
        let start = normalize(&absolute(&start));
        let in_git = start.ancestors().any(|d| d.join(".git").exists());
        for dir in start.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() && !out.contains(&candidate) {
                out.push(candidate);
            }
            if !in_git || dir.join(".git").exists() {
                break;
            }
        }
    }
    out
}

/// Reads every `guard.toml` a pull-request check (`--github`) must respect: `trusted`
/// (`--trusted-config`, the base branch's) and each one between the scan paths and the repository
/// root (every file counts, so an empty nearer file drops nothing), and lets
/// [`two_person::pull_request_rules`] combine them: the pull request's own files can only add to
/// the rule. Applies the privileged list and the count to `options`; returns the approval
/// settings and notes for the report.
pub fn pull_request_rules(
    paths: &[PathBuf],
    loaded: &Loaded,
    trusted: Option<&Path>,
    options: &mut Options,
) -> Result<(crate::two_person::ApprovalConfig, Vec<String>), InputError> {
    let cwd = std::env::current_dir()
        .ok()
        .map(|d| normalize(&absolute(&d)));
    let read = |path: &Path| -> Result<(String, Config), InputError> {
        let shown = match &cwd {
            Some(cwd) => path.strip_prefix(cwd).unwrap_or(path),
            None => path,
        };
        let name = crate::display_path(shown);
        let text = std::fs::read_to_string(path).map_err(|e| {
            InputError::new(&name, format!("cannot read file: {}", crate::io_reason(&e)))
        })?;
        let config = parse_with(&name, &text, &loaded.base_registry)?;
        Ok((name, config))
    };
    let mut untrusted: Vec<PathBuf> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for path in loaded.file.iter().map(PathBuf::from).chain(chain(paths)) {
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| normalize(&absolute(&path)));
        if !seen.contains(&key) {
            seen.push(key);
            untrusted.push(path);
        }
    }
    let rule_file = |(name, config): (String, Config)| RuleFile {
        name,
        required: config.approval.required,
        teams: config.approval.teams,
        break_glass_team: config.approval.break_glass_team,
        privileged: config.privileged,
    };
    let trusted_file = match trusted {
        Some(path) => Some(rule_file(read(path)?)),
        None => None,
    };
    let mut untrusted_files = Vec::new();
    for path in &untrusted {
        untrusted_files.push(rule_file(read(path)?));
    }
    let PullRequestRules {
        approval,
        privileged,
        required,
        notes,
    } = two_person::pull_request_rules(
        options.settings.required_approvals,
        trusted_file,
        untrusted_files,
    );
    options.settings.privileged = Privileged::from_config(&privileged).map_err(|message| {
        InputError::new(
            trusted.map(crate::display_path).unwrap_or_default(),
            message,
        )
    })?;
    options.settings.required_approvals = required;
    Ok((approval, notes))
}

// ---------------------------------------------------------------------------------------------
// Parsing

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    per_path_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    privileged: RawPrivileged,
    #[serde(default)]
    approval: RawApproval,
    #[serde(default)]
    policies: RawPolicies,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppress>>,
    /// `[[rules]]`: read by [`guard_policies::rules::compile`] from the text.
    #[serde(default)]
    rules: Option<toml::Value>,
    baseline: Option<Spanned<String>>,
    #[serde(default)]
    respect_peer_ignores: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPrivileged {
    #[serde(default)]
    add_types: Vec<Spanned<String>>,
    #[serde(default)]
    remove_types: Vec<Spanned<String>>,
    #[serde(default)]
    add_addresses: Vec<Spanned<String>>,
    #[serde(default)]
    remove_addresses: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawApproval {
    required: Option<Spanned<i64>>,
    #[serde(default)]
    teams: Vec<String>,
    break_glass_team: Option<String>,
}

/// `[policies]`: the three settings of built-in policies; other keys are `[policies.CODE]`
/// tables, read with their positions by [`PolicyTables`] (so unknown keys are refused there).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawPolicies {
    ingress_allowed_ports: Option<Vec<Spanned<i64>>>,
    mass_deletion_threshold: Option<Spanned<i64>>,
    strict_dynamodb_encryption: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSuppress {
    policies: Spanned<Vec<Spanned<String>>>,
    addresses: Spanned<Vec<Spanned<String>>>,
    reason: Spanned<String>,
    until: Option<Spanned<toml::Value>>,
}

/// The keys of `[policies]` that are not guard's own settings: each names a policy and holds its
/// settings table.
#[derive(Debug, Default, Deserialize)]
struct PolicyTables {
    #[serde(default)]
    policies: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

const POLICIES_KEYS: [&str; 3] = [
    "ingress-allowed-ports",
    "mass-deletion-threshold",
    "strict-dynamodb-encryption",
];

/// `[policies.CODE]` tables by canonical code, each checked against its policy's settings type.
fn policy_tables(
    text: &str,
    registry: &Registry,
) -> Result<BTreeMap<String, toml::Value>, SpanError> {
    let tables: PolicyTables = toml::from_str(text).unwrap_or_default();
    let mut out = BTreeMap::new();
    for (key, value) in &tables.policies {
        let name = key.get_ref().as_str();
        if POLICIES_KEYS.contains(&name) {
            continue;
        }
        let Some(policy) = registry.find(name) else {
            return Err(err(
                key.span(),
                format!(
                    "unknown key {} in `[policies]`, expected one of {}, or `[policies.CODE]` with the code of a policy that takes settings",
                    quoted(name),
                    POLICIES_KEYS.map(|k| format!("`{k}`")).join(", ")
                ),
            ));
        };
        let Some(check) = policy.config else {
            return Err(err(
                key.span(),
                format!("`[policies.{name}]`: {} takes no settings", policy.code),
            ));
        };
        if !value.get_ref().is_table() {
            return Err(err(
                value.span(),
                format!(
                    "`[policies.{name}]` must be a table of {}'s settings",
                    policy.code
                ),
            ));
        }
        check(value.get_ref()).map_err(|message| {
            err(
                value.span(),
                format!("`[policies.{name}]`: {}", tidy_toml_message(&message)),
            )
        })?;
        out.insert(policy.code.to_string(), value.get_ref().clone());
    }
    Ok(out)
}

/// An error at a byte range of the config text.
#[derive(Debug)]
struct SpanError {
    span: Range<usize>,
    message: String,
}

fn err(span: Range<usize>, message: impl Into<String>) -> SpanError {
    SpanError {
        span,
        message: message.into(),
    }
}

/// Parses and validates a configuration file's text against the built-in policies. `file` is
/// the name used in errors.
pub fn parse(file: &str, text: &str) -> Result<Config, InputError> {
    parse_with(file, text, &Registry::builtin())
}

/// Parses and validates a configuration file's text: its `[[rules]]` join `base`, and policy
/// codes anywhere in the file are looked up in the result.
pub fn parse_with(file: &str, text: &str, base: &Registry) -> Result<Config, InputError> {
    let locate = |span: Range<usize>, message: String| {
        let (line, column) = line_col(text, span.start);
        InputError::new(file, message).at(line, column).with_source(
            text,
            SourceKind::Toml,
            "the keys guard.toml takes are in the README's `guard.toml` section",
        )
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let mut message = tidy_toml_message(e.message());
        // A missing key is reported at its table's header: name the table.
        if let Some(header) = e
            .span()
            .and_then(|span| text.get(span.start..))
            .and_then(|rest| rest.lines().next())
            .filter(|line| line.starts_with('['))
        {
            message = format!("{message} in `{}`", header.trim());
        }
        match e.span() {
            Some(span) => locate(span, message),
            None => InputError::new(file, message),
        }
    })?;
    let rule_error = |e: guard_policies::rules::RuleError| match e.span {
        Some(span) => locate(span, e.message),
        None => InputError::new(file, e.message),
    };
    let registry = match raw.rules {
        None => base.clone(),
        Some(_) => {
            let rules = guard_policies::rules::compile(text).map_err(rule_error)?;
            base.clone().with_rules(&rules).map_err(rule_error)?
        }
    };
    validate(raw, text, registry).map_err(|e| locate(e.span, e.message))
}

/// serde's wording talks about Rust; say it in configuration terms.
fn tidy_toml_message(message: &str) -> String {
    message
        .trim()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing key")
        .replace("invalid type: ", "wrong type: ")
        .replace(", expected a sequence", ", expected an array")
        .replace(", expected a map", ", expected a table")
        .replace("expected i64", "expected an integer")
        .split("; ")
        .map(without_value)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A type error without the value it quotes (`wrong type: string "hunter2", expected a
/// boolean`): a value may be a secret. The kind of value and what was expected remain.
fn without_value(message: &str) -> String {
    for prefix in ["wrong type: ", "invalid value: "] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let kind_end = rest.find(['"', '`', '\'']).unwrap_or(rest.len());
        let expected = rest.rfind(", expected ").map(|i| &rest[i..]).unwrap_or("");
        return format!("{prefix}{}{expected}", rest[..kind_end].trim());
    }
    message.to_string()
}

/// A configuration value as an error may quote it: a policy code or severity is echoed to help
/// spot the typo, anything else (it may be a secret pasted into the wrong key) is not.
fn quoted(value: &str) -> String {
    let name_like = !value.is_empty()
        && value.len() <= 32
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && guard_policies::secret_patterns::detect(value).is_none();
    if name_like {
        format!("`{value}`")
    } else {
        format!("({} characters, not shown)", value.chars().count())
    }
}

fn validate(raw: RawConfig, text: &str, registry: Registry) -> Result<Config, SpanError> {
    let policy_code = |s: &Spanned<String>, key: &str| policy_code(s, key, &registry);
    let codes = |list: &[Spanned<String>], key: &str| -> Result<Vec<&'static str>, SpanError> {
        list.iter().map(|s| policy_code(s, key)).collect()
    };
    let mut config = Config {
        select: codes(&raw.select, "select")?,
        ignore: codes(&raw.ignore, "ignore")?,
        ..Config::default()
    };
    if let Some(fail_on) = &raw.fail_on {
        config.fail_on = Some(severity(fail_on, "fail-on")?);
    }
    config.respect_peer_ignores = raw.respect_peer_ignores;
    if let Some(baseline) = &raw.baseline {
        if baseline.get_ref().trim().is_empty() {
            return Err(SpanError {
                span: baseline.span(),
                message: "`baseline` is empty; expected a file path".to_string(),
            });
        }
        config.baseline = Some(baseline.get_ref().clone());
    }
    for glob in raw.include.iter().chain(&raw.exclude) {
        path_glob(glob)?;
    }
    config.include = raw.include.iter().map(|s| s.get_ref().clone()).collect();
    config.exclude = raw.exclude.iter().map(|s| s.get_ref().clone()).collect();
    for (code, sev) in &raw.severity {
        let code = policy_code(code, "[severity]")?;
        config
            .severity
            .insert(code.to_string(), severity(sev, "[severity]")?);
    }
    for (pattern, list) in &raw.per_path_ignores {
        config.per_path_ignores.push(PathIgnore {
            pattern: pattern.get_ref().clone(),
            matcher: path_glob(pattern)?,
            codes: codes(list, "[per-path-ignores]")?,
            line: line_col(text, pattern.span().start).0,
        });
    }
    let globs = |list: &[Spanned<String>]| -> Result<Vec<String>, SpanError> {
        list.iter()
            .map(|g| address_glob(g).map(|_| g.get_ref().clone()))
            .collect()
    };
    config.privileged = PrivilegedConfig {
        add_types: globs(&raw.privileged.add_types)?,
        remove_types: globs(&raw.privileged.remove_types)?,
        add_addresses: globs(&raw.privileged.add_addresses)?,
        remove_addresses: globs(&raw.privileged.remove_addresses)?,
    };
    if let Some(required) = &raw.approval.required {
        let n = *required.get_ref();
        if n < 1 {
            return Err(err(
                required.span(),
                format!("`[approval] required` must be at least 1, got {n}"),
            ));
        }
        config.approval.required = Some(usize::try_from(n).unwrap_or(usize::MAX));
    }
    config.approval.teams = raw.approval.teams;
    config.approval.break_glass_team = raw.approval.break_glass_team;
    if let Some(ports) = &raw.policies.ingress_allowed_ports {
        let mut out = Vec::new();
        for port in ports {
            let p = *port.get_ref();
            let p = u16::try_from(p).ok().filter(|p| *p > 0).ok_or_else(|| {
                err(
                    port.span(),
                    format!("`ingress-allowed-ports`: {p} is not a port (expected 1 to 65535)"),
                )
            })?;
            out.push(p);
        }
        config.ingress_allowed_ports = Some(out);
    }
    if let Some(threshold) = &raw.policies.mass_deletion_threshold {
        let n = *threshold.get_ref();
        config.mass_deletion_threshold = Some(usize::try_from(n).map_err(|_| {
            err(
                threshold.span(),
                format!("`mass-deletion-threshold` must be 0 or more, got {n}"),
            )
        })?);
    }
    config.strict_dynamodb_encryption = raw.policies.strict_dynamodb_encryption;
    config.policy_config = policy_tables(text, &registry)?;
    for entry in &raw.suppress {
        let line = line_col(text, entry.span().start).0;
        let entry = entry.get_ref();
        if entry.policies.get_ref().is_empty() {
            return Err(err(
                entry.policies.span(),
                "`[[suppress]] policies` is empty; name the policies to suppress",
            ));
        }
        if entry.addresses.get_ref().is_empty() {
            return Err(err(
                entry.addresses.span(),
                "`[[suppress]] addresses` is empty; give address globs such as `module.legacy.*`",
            ));
        }
        if entry.reason.get_ref().trim().is_empty() {
            return Err(err(
                entry.reason.span(),
                "`[[suppress]] reason` is empty; say why the finding is accepted",
            ));
        }
        let until = match &entry.until {
            None => None,
            Some(until) => Some(until_date(until)?),
        };
        let mut matchers = Vec::new();
        for glob in entry.addresses.get_ref() {
            matchers.push(address_glob(glob)?);
        }
        config.suppress.push(AddressSuppression {
            codes: codes(entry.policies.get_ref(), "[[suppress]] policies")?,
            addresses: entry
                .addresses
                .get_ref()
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
            matchers,
            reason: entry.reason.get_ref().trim().to_string(),
            until,
            line,
        });
    }
    config.registry = registry;
    Ok(config)
}

fn policy_code(
    s: &Spanned<String>,
    key: &str,
    registry: &Registry,
) -> Result<&'static str, SpanError> {
    registry
        .find(s.get_ref().trim())
        .map(|p| p.code)
        .ok_or_else(|| {
            err(
                s.span(),
                format!(
                    "unknown policy {} in `{key}`; expected a code or name, one of: {}",
                    quoted(s.get_ref()),
                    valid_policies(registry)
                ),
            )
        })
}

/// Every policy as `CODE (name)`, for error messages.
pub fn valid_policies(registry: &Registry) -> String {
    registry
        .iter()
        .map(|p| format!("{} ({})", p.code, p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn severity(s: &Spanned<String>, key: &str) -> Result<Severity, SpanError> {
    Severity::parse(s.get_ref().trim()).ok_or_else(|| {
        err(
            s.span(),
            format!(
                "unknown severity {} in `{key}`; expected one of: low, medium, high, critical",
                quoted(s.get_ref())
            ),
        )
    })
}

fn until_date(until: &Spanned<toml::Value>) -> Result<(i32, u32, u32), SpanError> {
    let text = match until.get_ref() {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        _ => String::new(),
    };
    parse_date(&text).ok_or_else(|| {
        err(
            until.span(),
            "`until` must be a date written YYYY-MM-DD, e.g. until = 2027-01-31",
        )
    })
}

/// Parses `YYYY-MM-DD` into a checked calendar date.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut parts = s.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y, m, d))
}

/// Today's date (UTC) as `(year, month, day)`.
pub fn today() -> (i32, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days((secs / 86_400) as i64)
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to a calendar date.
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// A path glob: `*` stays within one path segment, `**` crosses them; a pattern without `/`
/// matches at any depth (like `.gitignore`).
fn path_glob(s: &Spanned<String>) -> Result<GlobMatcher, SpanError> {
    let pattern = s
        .get_ref()
        .trim()
        .trim_start_matches("./")
        .trim_end_matches('/');
    let pattern = if pattern.contains('/') {
        pattern.to_string()
    } else {
        format!("**/{pattern}")
    };
    GlobBuilder::new(&pattern)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| {
            err(
                s.span(),
                format!("invalid glob `{}`: {}", s.get_ref(), e.kind()),
            )
        })
}

/// An address glob: `[` and `]` are literal so `aws_x.y["a"]` works as written.
fn address_glob(s: &Spanned<String>) -> Result<GlobMatcher, SpanError> {
    let mut escaped = String::with_capacity(s.get_ref().len() + 8);
    for c in s.get_ref().chars() {
        match c {
            '[' => escaped.push_str("[[]"),
            ']' => escaped.push_str("[]]"),
            _ => escaped.push(c),
        }
    }
    Glob::new(&escaped)
        .map(|g| g.compile_matcher())
        .map_err(|e| {
            err(
                s.span(),
                format!("invalid glob `{}`: {}", s.get_ref(), e.kind()),
            )
        })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let file = crate::source::SourceFile::new(Arc::from(text));
    file.line_col(offset)
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Removes `.` and resolves `..` lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl Config {
    /// Applies the file to `options` and records what suppression needs in `loaded`.
    pub fn apply(self, options: &mut Options, loaded: &mut Loaded) -> Result<(), String> {
        options.select = self.select.iter().map(|s| s.to_string()).collect();
        options.ignore = self.ignore.iter().map(|s| s.to_string()).collect();
        if let Some(fail_on) = self.fail_on {
            options.fail_on = fail_on;
        }
        options.hcl.include = self.include;
        options.hcl.exclude = self.exclude;
        options.severity_overrides = self.severity.clone();
        options.registry = self.registry;
        let settings = &mut options.settings;
        settings.privileged = Privileged::from_config(&self.privileged)?;
        if let Some(required) = self.approval.required {
            settings.required_approvals = required;
        }
        if let Some(ports) = self.ingress_allowed_ports {
            settings.ingress_allowed_ports = ports;
        }
        if let Some(threshold) = self.mass_deletion_threshold {
            settings.mass_deletion_threshold = threshold;
        }
        if let Some(strict) = self.strict_dynamodb_encryption {
            settings.strict_dynamodb_encryption = strict;
        }
        settings.policy_config = self.policy_config;
        loaded.per_path_ignores = self.per_path_ignores;
        loaded.suppress = self.suppress;
        loaded.approval = self.approval;
        loaded.severity_overrides = self.severity;
        loaded.baseline = self.baseline.map(PathBuf::from);
        loaded.respect_peer_ignores |= self.respect_peer_ignores;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("2027-01-31"), Some((2027, 1, 31)));
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2027-1-31"), None);
        assert_eq!(parse_date("tomorrow"), None);
    }

    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_000), (2024, 10, 4));
    }

    #[test]
    fn path_patterns_match_directories_and_files() {
        let ignore = |p: &str| PathIgnore {
            pattern: p.into(),
            matcher: path_glob(&Spanned::new(0..0, p.to_string())).unwrap(),
            codes: vec![],
            line: 1,
        };
        assert!(ignore("modules/legacy").matches("modules/legacy/main.tf"));
        assert!(ignore("modules/legacy/").matches("modules/legacy/main.tf"));
        assert!(!ignore("modules/legacy").matches("modules/legacy2/main.tf"));
        assert!(ignore("*.tfvars").matches("env/prod/terraform.tfvars"));
        assert!(ignore("examples").matches("a/b/examples/x/main.tf"));
        assert!(ignore("env/*/main.tf").matches("env/prod/main.tf"));
        assert!(!ignore("env/*/main.tf").matches("env/prod/x/main.tf"));
    }
}
