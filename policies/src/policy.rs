//! What a policy is, what it reports, and the macro that declares one.
//!
//! A policy is a static [`Policy`] value: code, name, severity, the inputs and resource types it
//! looks at, its documentation (the doc comment on the declaration) and a plain `fn` that checks.
//! The engine buckets policies by resource type once and then visits each resource once.

use crate::model::{InputKind, Model, Resource};
use crate::privileged::Privileged;
use crate::value::{Origin, ValueRef};
use std::fmt;

/// How bad a finding is. Ordered: `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which inputs a policy runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inputs {
    Both,
    HclOnly,
    PlanOnly,
}

impl Inputs {
    pub fn accepts(self, input: InputKind) -> bool {
        match self {
            Inputs::Both => true,
            Inputs::HclOnly => input == InputKind::Hcl,
            Inputs::PlanOnly => input == InputKind::Plan,
        }
    }
}

/// How a policy is called.
#[derive(Clone, Copy)]
pub enum Check {
    /// Once per resource of one of `types` (every resource when `types` is empty).
    Resources {
        types: &'static [&'static str],
        check: fn(&mut Context<'_>, &Resource),
    },
    /// Once per model, for policies that look at the whole (mass deletion, drift, outputs).
    Model(fn(&mut Context<'_>)),
    /// Once per resource whose type matches one of `patterns` (globs such as `aws_*`), for checks
    /// built at run time (the declarative rules of `guard.toml`): the check is a value holding its
    /// compiled conditions rather than a plain `fn`.
    Matching {
        patterns: &'static [&'static str],
        check: &'static dyn ResourceCheck,
    },
}

/// A resource check that is a value: it carries what it was compiled from.
pub trait ResourceCheck: Send + Sync {
    /// Whether resources of this type are checked.
    fn applies_to(&self, resource_type: &str) -> bool;
    fn check(&self, ctx: &mut Context<'_>, resource: &Resource);
}

/// Checks a policy's `[policies.CODE]` table against its settings type.
pub type ConfigCheck = fn(&toml::Value) -> Result<(), String>;

/// A built-in policy.
pub struct Policy {
    /// Stable code users write in suppressions and configs, e.g. `NET001`.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `public-egress`.
    pub name: &'static str,
    pub severity: Severity,
    pub inputs: Inputs,
    pub check: Check,
    /// The doc comment, as written (each line keeps the space after `///`).
    pub raw_doc: &'static str,
    /// Checks a `[policies.CODE]` table of `guard.toml` against the policy's settings type
    /// (`config: T` in [`declare_policy!`]); `None`: the policy takes no settings.
    pub config: Option<ConfigCheck>,
}

impl Policy {
    /// The documentation as markdown.
    pub fn doc(&self) -> String {
        let mut out = String::with_capacity(self.raw_doc.len());
        for line in self.raw_doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string() + "\n"
    }
    /// The first paragraph of "What it checks", as a one-line summary.
    pub fn summary(&self) -> String {
        let doc = self.doc();
        let body = doc
            .split("## What it checks")
            .nth(1)
            .unwrap_or(&doc)
            .trim_start();
        body.split("\n\n")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
    /// The resource types checked: names, or glob patterns for a [`Check::Matching`] policy.
    pub fn resource_types(&self) -> &'static [&'static str] {
        match self.check {
            Check::Resources { types, .. } => types,
            Check::Model(_) => &[],
            Check::Matching { patterns, .. } => patterns,
        }
    }
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Policy({} {})", self.code, self.name)
    }
}

/// Declares a policy. The doc comment becomes its documentation.
///
/// ```ignore
/// declare_policy! {
///     /// ## What it checks
///     /// ...
///     pub static MASS_DELETION = {
///         code: "DEL003",
///         name: "mass-deletion",
///         severity: High,
///         inputs: PlanOnly,
///         check: Check::Model(check),
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_policy {
    (@config) => { None };
    (@config $config:ty) => {
        Some(|table: &$crate::toml::Value| $crate::policy::parse_config::<$config>(table).map(|_| ()))
    };
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            inputs: $inputs:ident,
            $(config: $config:ty,)?
            check: $check:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::Policy = $crate::Policy {
            code: $code,
            name: $name,
            severity: $crate::Severity::$severity,
            inputs: $crate::Inputs::$inputs,
            check: $check,
            raw_doc: concat!($($doc, "\n"),*),
            config: $crate::declare_policy!(@config $($config)?),
        };
    };
}

/// A policy's `[policies.CODE]` table as its settings type `T`; the message says what is wrong
/// without quoting values (a table may hold anything).
pub fn parse_config<T: serde::de::DeserializeOwned>(table: &toml::Value) -> Result<T, String> {
    T::deserialize(table.clone())
        .map_err(|e| e.message().trim().replace("invalid type: ", "wrong type: "))
}

/// Settings a few policies read; every one has a documented default.
#[derive(Debug, Clone)]
pub struct Settings {
    /// NET002: ports that may be open to the internet.
    pub ingress_allowed_ports: Vec<u16>,
    /// DEL003: more deletions than this in one plan is a finding.
    pub mass_deletion_threshold: usize,
    /// ENC001: DynamoDB tables must use a customer-managed KMS key.
    pub strict_dynamodb_encryption: bool,
    /// DEL001, DEL004: which resources are privileged.
    pub privileged: Privileged,
    /// DEL001: distinct approvals a privileged deletion needs.
    pub required_approvals: usize,
    /// `[policies.CODE]` tables of `guard.toml` by policy code, checked against each policy's
    /// settings type when the file was read; a policy reads its own with [`Context::config`].
    pub policy_config: std::collections::BTreeMap<String, toml::Value>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            ingress_allowed_ports: vec![80, 443],
            mass_deletion_threshold: 10,
            strict_dynamodb_encryption: false,
            privileged: Privileged::default(),
            required_approvals: 2,
            policy_config: std::collections::BTreeMap::new(),
        }
    }
}

/// A problem a policy found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Lowercase, no trailing period, never a secret value.
    pub message: String,
    /// The resource (or output) address, when there is one.
    pub address: Option<String>,
    /// The place to show: the attribute's origin a person would edit, else the block.
    pub location: Option<Origin>,
    /// Other places that contributed (the literal behind a variable, the block).
    pub related: Vec<Origin>,
    /// For a finding that stands for several instances of one block: their addresses.
    pub instances: Vec<String>,
    /// The block address without instance keys, used to group instances.
    pub config_address: Option<String>,
    /// The `module` blocks the resource is instantiated through, outermost first.
    pub module_calls: Vec<Origin>,
    pub input: Option<InputKind>,
}

/// What a policy gets when it runs: the model, the settings, and a place to report.
pub struct Context<'a> {
    pub model: &'a Model,
    pub settings: &'a Settings,
    policy: &'static Policy,
    findings: Vec<Finding>,
}

impl<'a> Context<'a> {
    pub fn new(model: &'a Model, settings: &'a Settings, policy: &'static Policy) -> Self {
        Context {
            model,
            settings,
            policy,
            findings: Vec::new(),
        }
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// This policy's settings from its `[policies.CODE]` table in `guard.toml` (an empty table
    /// when there is none, so `#[serde(default)]` fields take their defaults). The table was
    /// checked against the policy's `config` type when the file was read; a different `T` here
    /// is a bug in the policy, reported as the error.
    pub fn config<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        let empty = toml::Value::Table(toml::Table::new());
        let table = self
            .settings
            .policy_config
            .get(self.policy.code)
            .unwrap_or(&empty);
        parse_config(table).map_err(|e| format!("[policies.{}]: {e}", self.policy.code))
    }

    /// Reports a finding on a resource, located at the resource block.
    pub fn report(&mut self, resource: &Resource, message: impl Into<String>) -> &mut Finding {
        let finding = Finding {
            code: self.policy.code,
            name: self.policy.name,
            severity: self.policy.severity,
            message: message.into(),
            address: Some(resource.address().to_string()),
            location: resource.location().cloned(),
            related: Vec::new(),
            instances: Vec::new(),
            config_address: Some(resource.config_address().to_string()),
            module_calls: resource.module_calls().to_vec(),
            input: Some(resource.input()),
        };
        self.findings.push(finding);
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Reports a finding on a resource, located at the origin of `value` a person would edit,
    /// with the value's other origins and the block as related locations.
    pub fn report_at(
        &mut self,
        resource: &Resource,
        value: ValueRef<'_>,
        message: impl Into<String>,
    ) -> &mut Finding {
        let finding = self.report(resource, message);
        finding.at(value);
        finding
    }

    /// Reports a finding that belongs to no single resource (a whole-plan finding or an output).
    pub fn report_global(
        &mut self,
        address: Option<String>,
        message: impl Into<String>,
    ) -> &mut Finding {
        let finding = Finding {
            code: self.policy.code,
            name: self.policy.name,
            severity: self.policy.severity,
            message: message.into(),
            address: address.clone(),
            location: None,
            related: Vec::new(),
            instances: Vec::new(),
            config_address: address,
            module_calls: Vec::new(),
            input: self.model.input(),
        };
        self.findings.push(finding);
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}

impl Finding {
    /// Points the finding at the origin of `value` a person would edit.
    pub fn at(&mut self, value: ValueRef<'_>) -> &mut Self {
        if let Some(primary) = value.primary_origin().cloned() {
            let block = self.location.replace(primary.clone());
            for origin in value.origins().iter().chain(block.iter()) {
                if *origin != primary && !self.related.contains(origin) {
                    self.related.push(origin.clone());
                }
            }
        }
        self
    }
    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }
}
